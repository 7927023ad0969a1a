// HumanEval, HumanEval+ and MBPP+: the openai/human-eval and evalplus record layouts.
#include <algorithm>
#include <array>

#include "import_common.h"
#include "json_scan.h"
#include "python_text.h"

namespace codejudge::problems::detail {
namespace {

using nlohmann::json;

constexpr uint64_t kPlusTimeMs = 20000;  // a chunk runs the reference and the candidate

// "HumanEval/12" -> "12".
std::string task_number(const std::string& task_id) {
  size_t slash = task_id.rfind('/');
  return id_part(slash == std::string::npos ? task_id : task_id.substr(slash + 1));
}

// The record without base_input/plus_input (parsed strictly), and those two as raw arrays.
struct PlusRecord {
  json fields;
  std::string task_id, prompt, solution, entry_point;  // required in both sets
  std::vector<std::string_view> base_inputs, plus_inputs;
};

bool read_plus_record(std::string_view text, PlusRecord* record, std::string* error) {
  auto base = json_object_field(text, "base_input");
  auto plus = json_object_field(text, "plus_input");
  if (!base || !plus) {
    *error = "fields 'base_input' and 'plus_input': required arrays of argument lists";
    return false;
  }
  // Mbpp/793 has "plus_input": {} for "no plus inputs".
  auto elements = [](std::string_view raw, std::vector<std::string_view>* out) {
    if (raw == "{}" || raw == "null") return true;
    return json_array_elements(raw, out);
  };
  if (!elements(*base, &record->base_inputs) || !elements(*plus, &record->plus_inputs)) {
    *error = "fields 'base_input' and 'plus_input': expected arrays";
    return false;
  }
  for (auto* inputs : {&record->base_inputs, &record->plus_inputs}) {
    for (std::string_view input : *inputs) {
      if (input.empty() || input.front() != '[') {
        *error = "base_input/plus_input: each input must be an array of arguments";
        return false;
      }
    }
  }
  auto rest = json_without_fields(text, {"base_input", "plus_input"});
  if (!rest) {
    *error = "invalid JSON";
    return false;
  }
  auto fields = parse_record(*rest, error);
  if (!fields) return false;
  record->fields = std::move(*fields);
  return require_string(record->fields, "task_id", &record->task_id, error) &&
         require_string(record->fields, "prompt", &record->prompt, error) &&
         require_string(record->fields, "canonical_solution", &record->solution, error) &&
         require_string(record->fields, "entry_point", &record->entry_point, error);
}

double read_atol(const json& record) {
  auto it = record.find("atol");
  if (it == record.end() || !it->is_number()) return 0;
  double atol = it->get<double>();
  return atol > 0 ? atol : 0;
}

// Base inputs first, then plus inputs, never mixed in one chunk.
std::vector<Test> plus_tests(const PlusRecord& record, PlusChunk chunk, size_t chunk_size) {
  std::vector<Test> tests;
  if (chunk_size == 0) chunk_size = 1;
  size_t first = 0;
  for (const auto* inputs : {&record.base_inputs, &record.plus_inputs}) {
    for (size_t begin = 0; begin < inputs->size(); begin += chunk_size) {
      size_t end = std::min(inputs->size(), begin + chunk_size);
      chunk.inputs_json = "[";
      for (size_t i = begin; i < end; ++i) {
        if (i > begin) chunk.inputs_json += ", ";
        chunk.inputs_json += (*inputs)[i];
      }
      chunk.inputs_json += "]";
      chunk.first_input = first + begin;
      tests.push_back({"", "", plus_test_code(chunk)});
    }
    first += inputs->size();
  }
  return tests;
}

// evalplus compares these MBPP+ answers as sets: any order of the same elements is right.
constexpr std::array<std::string_view, 4> kSetOutputTasks = {
    "similar_elements", "find_char_long", "common_in_nested_lists", "extract_singly"};
// These return a re.Match or None; only whether a match was found counts.
constexpr std::array<std::string_view, 3> kNotNoneTasks = {"check_str", "text_match_three",
                                                           "text_starta_endb"};

bool contains(const auto& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// What both EvalPlus sets share: ids, tests from the inputs, limits, provenance.
std::optional<Problem> finish_plus_problem(Problem problem, const PlusRecord& record,
                                           PlusChunk chunk, const ImportOptions& options,
                                           const std::string& set, std::string* error) {
  problem.id = set + "/" + task_number(record.task_id);
  problem.title = record.entry_point;
  problem.mode = Mode::kAssert;
  problem.entry_point = record.entry_point;
  chunk.entry_point = record.entry_point;
  chunk.atol = read_atol(record.fields);
  problem.tests = plus_tests(record, chunk, options.chunk_size);
  if (problem.tests.empty()) {
    *error = "no inputs in base_input or plus_input";
    return std::nullopt;
  }
  problem.limits.time_ms = kPlusTimeMs;
  problem.source = "evalplus/" + set + " " + record.task_id;
  problem.license = "Apache-2.0";
  return finish_problem(std::move(problem), error);
}

}  // namespace

std::optional<Problem> import_humaneval(const RawRecord& raw, const ImportOptions& options,
                                        std::string* error) {
  auto record = parse_record(raw.text, error);
  if (!record) return std::nullopt;
  std::string task_id, prompt, solution, test, entry_point;
  if (!require_string(*record, "task_id", &task_id, error) ||
      !require_string(*record, "prompt", &prompt, error) ||
      !require_string(*record, "canonical_solution", &solution, error) ||
      !require_string(*record, "test", &test, error) ||
      !require_string(*record, "entry_point", &entry_point, error)) {
    return std::nullopt;
  }
  Problem problem;
  problem.id = "humaneval/" + task_number(task_id);
  problem.title = entry_point;
  problem.statement = prompt;
  problem.mode = Mode::kAssert;
  problem.entry_point = entry_point;
  problem.starter_code["python"] = prompt;
  // The prompt's imports and helpers (poly, encode_cyclic) are what the tests rely on.
  problem.preamble["python"] = prompt;
  problem.tests = check_tests(test, options);
  problem.reference["python"] = prompt + solution;
  problem.source = "openai/human-eval " + task_id;
  problem.license = "MIT";
  return finish_problem(std::move(problem), error);
}

std::optional<Problem> import_humanevalplus(const RawRecord& raw, const ImportOptions& options,
                                            std::string* error) {
  PlusRecord record;
  if (!read_plus_record(raw.text, &record, error)) return std::nullopt;
  Problem problem;
  problem.statement = record.prompt;
  problem.starter_code["python"] = record.prompt;
  problem.preamble["python"] = record.prompt;
  problem.reference["python"] = record.prompt + record.solution;
  PlusChunk chunk;
  chunk.reference_source = record.prompt + record.solution;
  // find_zero has many right answers: evalplus checks that the answer is a root within atol.
  if (record.entry_point == "find_zero") chunk.oracle = "poly_root";
  return finish_plus_problem(std::move(problem), record, std::move(chunk), options, "humanevalplus",
                             error);
}

std::optional<Problem> import_mbppplus(const RawRecord& raw, const ImportOptions& options,
                                       std::string* error) {
  PlusRecord record;
  if (!read_plus_record(raw.text, &record, error)) return std::nullopt;
  const std::string& prompt = record.prompt;
  const std::string& entry_point = record.entry_point;
  // The prompt is a docstring: the statement and one example assert inside triple quotes.
  std::string statement = prompt;
  size_t first = statement.find_first_not_of(" \n\r\t\"");
  size_t last = statement.find_last_not_of(" \n\r\t\"");
  statement = first == std::string::npos ? "" : statement.substr(first, last - first + 1);

  Problem problem;
  problem.statement = statement;
  problem.reference["python"] = record.solution;
  PlusChunk chunk;
  chunk.reference_source = record.solution;
  // The assertion's first call shows the argument types that JSON flattened (tuples...).
  std::string assertion = optional_string(record.fields, "assertion");
  if (auto arguments = first_call_arguments(assertion, entry_point)) {
    chunk.example_arguments = std::string(*arguments);
  }
  if (contains(kSetOutputTasks, entry_point)) chunk.oracle = "set";
  if (contains(kNotNoneTasks, entry_point)) {
    chunk.oracle = "not_none";
    // Their references return re.Match objects: the harness accepts that type only when re is
    // loaded before the submission runs.
    problem.preamble["python"] = "import re\n";
  }
  return finish_plus_problem(std::move(problem), record, std::move(chunk), options, "mbppplus",
                             error);
}

}  // namespace codejudge::problems::detail
