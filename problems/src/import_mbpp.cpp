// MBPP: mbpp.jsonl (974 records) and the hand-verified sanitized-mbpp.json (a JSON array).
#include <algorithm>
#include <array>

#include "import_common.h"
#include "python_text.h"

namespace codejudge::problems::detail {
namespace {

using nlohmann::json;

// Calls in an assert that are never the function under test.
constexpr std::array<std::string_view, 14> kNotEntryPoints = {
    "set",   "sorted", "list", "tuple", "dict", "abs",       "round",
    "float", "int",    "str",  "len",   "bool", "frozenset", "isclose"};

// The function under test: the first call in the first assert that the reference defines,
// else the first call that is not a builtin wrapper such as set(...).
std::string find_entry_point(const std::string& first_assert, const std::string& code) {
  std::vector<std::string> defined = defined_functions(code);
  std::vector<std::string> calls = called_names(first_assert);
  for (const std::string& call : calls) {
    if (std::find(defined.begin(), defined.end(), call) != defined.end()) return call;
  }
  for (const std::string& call : calls) {
    if (std::find(kNotEntryPoints.begin(), kNotEntryPoints.end(), call) == kNotEntryPoints.end()) {
      return call;
    }
  }
  return "";
}

bool string_list(const json& record, const char* key, std::vector<std::string>* out,
                 std::string* error) {
  auto it = record.find(key);
  if (it == record.end() || it->is_null()) return true;
  if (!it->is_array()) {
    *error = std::string("field '") + key + "': expected an array of strings";
    return false;
  }
  for (const json& item : *it) {
    if (!item.is_string()) {
      *error = std::string("field '") + key + "': expected an array of strings";
      return false;
    }
    out->push_back(item.get<std::string>());
  }
  return true;
}

}  // namespace

std::optional<Problem> import_mbpp(const RawRecord& raw, const ImportOptions& /*options*/,
                                   std::string* error) {
  auto record = parse_record(raw.text, error);
  if (!record) return std::nullopt;
  auto task_id = record->find("task_id");
  if (task_id == record->end() || !task_id->is_number_integer()) {
    *error = "field 'task_id': required integer";
    return std::nullopt;
  }
  // The sanitized set words its statements as `prompt` and lists `test_imports`.
  bool sanitized = record->contains("prompt") && !record->contains("text");
  std::string text, code;
  if (!require_string(*record, sanitized ? "prompt" : "text", &text, error) ||
      !require_string(*record, "code", &code, error)) {
    return std::nullopt;
  }
  std::vector<std::string> asserts, imports;
  if (!string_list(*record, "test_list", &asserts, error) ||
      !string_list(*record, "test_imports", &imports, error)) {
    return std::nullopt;
  }
  if (asserts.empty()) {
    *error = "field 'test_list': no tests";
    return std::nullopt;
  }
  std::string setup;
  for (const std::string& line : imports) setup += line + "\n";
  std::string setup_code = optional_string(*record, "test_setup_code");
  if (!setup_code.empty()) setup += setup_code + "\n";

  Problem problem;
  std::string number = std::to_string(task_id->get<int64_t>());
  problem.id = (sanitized ? "mbpp-sanitized/" : "mbpp/") + number;
  problem.entry_point = find_entry_point(asserts.front(), code);
  if (problem.entry_point.empty()) {
    *error = "cannot tell the function under test from '" + asserts.front() + "'";
    return std::nullopt;
  }
  problem.title = problem.entry_point;
  // The text alone does not name the function; MBPP prompts show a test for that.
  problem.statement = text + "\n" + asserts.front();
  problem.mode = Mode::kAssert;
  for (const std::string& line : asserts) problem.tests.push_back({"", "", setup + line + "\n"});
  problem.public_tests = 1;
  problem.reference["python"] = code;
  problem.source =
      std::string("google-research/mbpp") + (sanitized ? " (sanitized)" : "") + " task " + number;
  problem.license = "CC-BY-4.0";
  return finish_problem(std::move(problem), error);
}

}  // namespace codejudge::problems::detail
