// Competitive-programming sets: APPS (and TACO, which shares its layout) and CodeContests.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "codejudge/problems/json.h"
#include "import_common.h"
#include "json_scan.h"
#include "python_text.h"

namespace codejudge::problems::detail {
namespace {

using nlohmann::json;

// APPS stores `solutions` and `input_output` as JSON text inside a string; TACO sometimes not.
std::string embedded_json_text(const json& record, const char* key) {
  auto it = record.find(key);
  if (it == record.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump(-1, ' ', false, json::error_handler_t::replace);
}

// A stdio input or output: a string, or a list of lines.
bool stdio_text(std::string_view raw, std::string* text) {
  json value = json::parse(raw, nullptr, false);
  if (value.is_string()) {
    *text = value.get<std::string>();
    return true;
  }
  if (!value.is_array()) return false;
  text->clear();
  for (const json& line : value) {
    if (!line.is_string()) return false;
    *text += line.get<std::string>();
    *text += '\n';
  }
  return true;
}

// One call-based APPS test; APPS accepts the value itself or, when the expected value is a
// list, its first element (outputs are often stored wrapped in a list). Tuples compare as lists.
std::string call_test_code(std::string_view arguments, std::string_view expected) {
  std::string code = "import json as _cj_json\n";
  code += plain_value_helper();
  code += "\n_CJ_ARGS = " + python_string_literal(arguments) + "\n";
  code += "_CJ_EXPECTED = " + python_string_literal(expected) + "\n";
  code += R"py(

def _cj_listify(value):
    if isinstance(value, (list, tuple)):
        return [_cj_listify(v) for v in value]
    return value


def check(candidate):
    output = candidate(*_cj_json.loads(_CJ_ARGS))
    assert _cj_plain(output), 'the answer must be made of standard Python values'
    output = _cj_listify(output)
    expected = _cj_json.loads(_CJ_EXPECTED)
    assert output == expected or (
        isinstance(expected, list) and len(expected) > 0 and output == expected[0]), 'wrong answer'
)py";
  return code;
}

std::string apps_difficulty(std::string_view difficulty) {
  std::string value = to_lower(difficulty);
  if (value == "introductory" || value == "easy") return "easy";
  if (value == "interview" || value == "medium") return "medium";
  if (value == "competition" || value == "medium_hard" || value == "hard" || value == "very_hard") {
    return "hard";
  }
  return "";
}

// TACO writes limits as text: "2 seconds", "256 megabytes".
uint64_t leading_number(const std::string& text, double scale, uint64_t max) {
  if (text.empty()) return 0;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(value) || value <= 0) return 0;
  return static_cast<uint64_t>(std::min(std::ceil(value * scale), static_cast<double>(max)));
}

// The CodeContests difficulty enum: 1-5 EASY..HARDEST, 7-28 Codeforces letters A..V.
std::string codecontests_difficulty(int64_t value) {
  if (value == 1 || value == 7 || value == 8) return "easy";
  if (value == 2 || value == 9 || value == 10) return "medium";
  if ((value >= 3 && value <= 5) || (value >= 11 && value <= 28)) return "hard";
  return "";
}

bool append_io_tests(const json& record, const char* key, std::vector<Test>* tests,
                     std::string* error) {
  auto it = record.find(key);
  if (it == record.end() || it->is_null()) return true;
  std::string field = std::string("field '") + key + "'";
  if (!it->is_object()) {
    *error = field + ": expected {input: [...], output: [...]}";
    return false;
  }
  const json inputs = it->value("input", json::array());
  const json outputs = it->value("output", json::array());
  if (!inputs.is_array() || !outputs.is_array() || inputs.size() != outputs.size()) {
    *error = field + ": input and output must be arrays of the same length";
    return false;
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].is_string() || !outputs[i].is_string()) {
      *error = field + ": tests must be strings";
      return false;
    }
    tests->push_back({inputs[i].get<std::string>(), outputs[i].get<std::string>(), ""});
  }
  return true;
}

}  // namespace

std::optional<Problem> import_apps(const RawRecord& raw, const ImportOptions& /*options*/,
                                   std::string* error) {
  auto record = parse_record(raw.text, error);
  if (!record) return std::nullopt;
  std::string question;
  if (!require_string(*record, "question", &question, error)) return std::nullopt;
  std::string io_text = embedded_json_text(*record, "input_output");
  if (io_text.empty()) {
    *error = "field 'input_output': no tests";
    return std::nullopt;
  }
  auto inputs_raw = json_object_field(io_text, "inputs");
  auto outputs_raw = json_object_field(io_text, "outputs");
  std::vector<std::string_view> inputs, outputs;
  if (!inputs_raw || !outputs_raw || !json_array_elements(*inputs_raw, &inputs) ||
      !json_array_elements(*outputs_raw, &outputs) || inputs.size() != outputs.size()) {
    *error = "field 'input_output': expected {inputs: [...], outputs: [...]} of equal length";
    return std::nullopt;
  }
  if (inputs.empty()) {
    *error = "field 'input_output': no tests";
    return std::nullopt;
  }
  std::string fn_name;
  if (auto raw_name = json_object_field(io_text, "fn_name")) {
    json name = json::parse(*raw_name, nullptr, false);
    if (name.is_string()) fn_name = name.get<std::string>();
  }

  Problem problem;
  json problem_id = record->value("problem_id", json());
  if (problem_id.is_number_integer()) {
    problem.id = "apps/" + std::to_string(problem_id.get<int64_t>());
  } else if (problem_id.is_string()) {
    problem.id = "apps/" + id_part(problem_id.get<std::string>());
  } else {
    problem.id = "apps/" + std::to_string(raw.index);  // TACO has no problem_id
  }
  problem.title = optional_string(*record, "name");
  problem.statement = question;
  problem.difficulty = apps_difficulty(optional_string(*record, "difficulty"));
  if (auto tags = record->find("tags"); tags != record->end() && tags->is_array()) {
    for (const json& tag : *tags) {
      if (tag.is_string() && !tag.get<std::string>().empty()) {
        problem.tags.push_back(tag.get<std::string>());
      }
    }
  }
  std::string starter = optional_string(*record, "starter_code");
  if (!starter.empty()) problem.starter_code["python"] = starter;
  if (fn_name.empty()) {
    problem.mode = Mode::kStdio;
    for (size_t i = 0; i < inputs.size(); ++i) {
      Test test;
      if (!stdio_text(inputs[i], &test.input) || !stdio_text(outputs[i], &test.expected)) {
        *error = "input_output: test " + std::to_string(i) + " is not text";
        return std::nullopt;
      }
      problem.tests.push_back(std::move(test));
    }
  } else {
    // No typed signature: call-based tests become Python asserts (see docs/PROBLEMS.md).
    problem.mode = Mode::kAssert;
    bool method = starter.find("class Solution") != std::string::npos;
    problem.entry_point = method ? "Solution()." + fn_name : fn_name;
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (inputs[i].empty() || inputs[i].front() != '[') {
        *error = "input_output: inputs[" + std::to_string(i) + "] is not an argument list";
        return std::nullopt;
      }
      problem.tests.push_back({"", "", call_test_code(inputs[i], outputs[i])});
    }
  }
  uint64_t time_ms = leading_number(optional_string(*record, "time_limit"), 1000, kMaxTimeMs);
  if (time_ms > 0) problem.limits.time_ms = time_ms;
  uint64_t memory_mb = leading_number(optional_string(*record, "memory_limit"), 1, kMaxMemoryMb);
  // A limit under the sandbox's floor is raised to it: the problem stays usable.
  if (memory_mb > 0) problem.limits.memory_mb = std::max(memory_mb, kMinMemoryMb);
  json solutions = json::parse(embedded_json_text(*record, "solutions"), nullptr, false);
  if (solutions.is_array() && !solutions.empty() && solutions[0].is_string()) {
    problem.reference["python"] = solutions[0].get<std::string>();
  }
  std::string url = optional_string(*record, "url");
  problem.source = url.empty() ? "codeparrot/apps" : "codeparrot/apps " + url;
  problem.license = "MIT";
  return finish_problem(std::move(problem), error);
}

std::optional<Problem> import_codecontests(const RawRecord& raw, const ImportOptions& options,
                                           std::string* error) {
  auto record = parse_record(raw.text, error);
  if (!record) return std::nullopt;
  std::string name, description;
  if (!require_string(*record, "name", &name, error) ||
      !require_string(*record, "description", &description, error)) {
    return std::nullopt;
  }
  Problem problem;
  problem.id = "codecontests/" + id_part(name);
  problem.title = name;
  problem.statement = description;
  problem.mode = Mode::kStdio;
  if (!append_io_tests(*record, "public_tests", &problem.tests, error)) return std::nullopt;
  problem.public_tests = problem.tests.size();
  if (!append_io_tests(*record, "private_tests", &problem.tests, error)) return std::nullopt;
  if (options.codecontests_generated_tests &&
      !append_io_tests(*record, "generated_tests", &problem.tests, error)) {
    return std::nullopt;
  }
  if (problem.tests.empty()) {
    *error = "no public, private or generated tests";
    return std::nullopt;
  }
  json difficulty = record->value("difficulty", json());
  if (difficulty.is_number_integer()) {
    problem.difficulty = codecontests_difficulty(difficulty.get<int64_t>());
  }
  if (auto tags = record->find("cf_tags"); tags != record->end() && tags->is_array()) {
    for (const json& tag : *tags) {
      if (tag.is_string() && !tag.get<std::string>().empty()) {
        problem.tags.push_back(tag.get<std::string>());
      }
    }
  }
  if (auto limit = record->find("time_limit"); limit != record->end() && limit->is_object()) {
    json seconds = limit->value("seconds", json(0));
    json nanos = limit->value("nanos", json(0));
    if (seconds.is_number() && nanos.is_number()) {
      double ms = seconds.get<double>() * 1000 + nanos.get<double>() / 1e6;
      if (ms >= 1) {
        problem.limits.time_ms =
            static_cast<uint64_t>(std::min(std::ceil(ms), static_cast<double>(kMaxTimeMs)));
      }
    }
  }
  json memory = record->value("memory_limit_bytes", json());
  if (memory.is_number() && memory.get<double>() > 0) {
    double mb = std::ceil(memory.get<double>() / (1024.0 * 1024.0));
    problem.limits.memory_mb = static_cast<uint64_t>(
        std::clamp(mb, static_cast<double>(kMinMemoryMb), static_cast<double>(kMaxMemoryMb)));
  }
  // Language codes: 1 Python 2, 2 C++, 3 Python 3, 4 Java.
  if (auto solutions = record->find("solutions");
      solutions != record->end() && solutions->is_object()) {
    const json languages = solutions->value("language", json::array());
    const json sources = solutions->value("solution", json::array());
    if (languages.is_array() && sources.is_array()) {
      for (size_t i = 0; i < languages.size() && i < sources.size(); ++i) {
        if (!languages[i].is_number_integer() || !sources[i].is_string()) continue;
        int64_t language = languages[i].get<int64_t>();
        const char* key = language == 3 ? "python" : language == 2 ? "cpp" : nullptr;
        if (key != nullptr && !problem.reference.contains(key)) {
          problem.reference[key] = sources[i].get<std::string>();
        }
      }
    }
  }
  problem.source = "deepmind/code_contests " + name;
  problem.license = "CC-BY-4.0";
  return finish_problem(std::move(problem), error);
}

}  // namespace codejudge::problems::detail
