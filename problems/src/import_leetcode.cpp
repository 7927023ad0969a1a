// LeetCodeDataset (newfacade): v0.3.1 records, and v0.2.0 ones that keep some fields in `meta`.
#include "import_common.h"
#include "python_text.h"

namespace codejudge::problems::detail {
namespace {

using nlohmann::json;

// "two-sum-ii" -> "Two Sum II".
std::string title_from_slug(std::string_view slug) {
  std::string title;
  size_t pos = 0;
  while (pos <= slug.size()) {
    size_t dash = slug.find('-', pos);
    if (dash == std::string_view::npos) dash = slug.size();
    std::string word(slug.substr(pos, dash - pos));
    bool roman =
        !word.empty() && word.find_first_not_of("ivx") == std::string::npos && word.size() <= 4;
    for (size_t i = 0; i < word.size(); ++i) {
      if ((roman || i == 0) && word[i] >= 'a' && word[i] <= 'z') word[i] -= 'a' - 'A';
    }
    if (!title.empty()) title += ' ';
    title += word;
    pos = dash + 1;
  }
  return title;
}

// input_output pairs as asserts, keeping only pairs that look like valid Python: LeetCode
// writes null/true/false, so those names are bound; pairs whose output is an error note
// ("Execution timed out", "Error: ..."), or whose input is not keyword arguments, are dropped.
std::vector<Test> input_output_tests(const json& pairs, bool returns_str) {
  std::vector<Test> tests;
  if (!pairs.is_array()) return tests;
  for (const json& pair : pairs) {
    if (!pair.is_object()) continue;
    std::string input = optional_string(pair, "input");
    std::string output = optional_string(pair, "output");
    // The generator's failures were recorded as outputs.
    if (output == "Execution timed out" || output.starts_with("Error:")) continue;
    // Outputs of functions returning str are written without quotes ("8" for "8").
    if (returns_str && !output.starts_with('"')) output = python_string_literal(output);
    size_t name_end =
        input.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    bool keywords = name_end != 0 && name_end != std::string::npos &&
                    input.find_first_not_of(' ', name_end) != std::string::npos &&
                    input[input.find_first_not_of(' ', name_end)] == '=';
    if (!keywords || !plausible_python_expression("f(" + input + ")") ||
        !plausible_python_expression(output)) {
      continue;
    }
    tests.push_back({"", "",
                     "def check(candidate):\n"
                     "    null, true, false = None, True, False\n"
                     "    assert candidate(" +
                         input + ") == " + output + "\n"});
  }
  return tests;
}

}  // namespace

std::optional<Problem> import_leetcode(const RawRecord& raw, const ImportOptions& options,
                                       std::string* error) {
  auto record = parse_record(raw.text, error);
  if (!record) return std::nullopt;
  std::string slug, entry_point, prompt, completion, test;
  if (!require_string(*record, "task_id", &slug, error) ||
      !require_string(*record, "entry_point", &entry_point, error) ||
      !require_string(*record, "prompt", &prompt, error) ||
      !require_string(*record, "completion", &completion, error) ||
      !require_string(*record, "test", &test, error)) {
    return std::nullopt;
  }
  // v0.2.0 keeps difficulty, the description and the starter code under `meta`.
  const json empty = json::object();
  auto meta_it = record->find("meta");
  const json& meta = meta_it != record->end() && meta_it->is_object() ? *meta_it : empty;
  std::string description = optional_string(*record, "problem_description");
  if (description.empty()) description = optional_string(meta, "question_title");
  std::string starter = optional_string(*record, "starter_code");
  if (starter.empty()) starter = optional_string(meta, "lang_code");
  std::string difficulty = optional_string(*record, "difficulty");
  if (difficulty.empty()) difficulty = optional_string(meta, "difficulty");
  json question_id = record->value("question_id", meta.value("question_id", json()));

  Problem problem;
  problem.id = "leetcode/" + id_part(slug);
  problem.title = title_from_slug(slug);
  problem.statement = description;
  problem.difficulty = to_lower(difficulty);
  if (problem.difficulty == "meidum") problem.difficulty = "medium";  // a typo in v0.2.0 test
  if (problem.difficulty != "easy" && problem.difficulty != "medium" &&
      problem.difficulty != "hard") {
    problem.difficulty.clear();
  }
  if (auto tags = record->find("tags"); tags != record->end() && tags->is_array()) {
    for (const json& tag : *tags) {
      if (tag.is_string()) problem.tags.push_back(tag.get<std::string>());
    }
  }
  problem.mode = Mode::kAssert;
  problem.entry_point = entry_point;
  if (!starter.empty()) problem.starter_code["python"] = starter;
  problem.preamble["python"] = prompt;
  bool linked = starter.find("ListNode") != std::string::npos ||
                starter.find("TreeNode") != std::string::npos;
  if (options.leetcode_input_output && !linked) {
    // The starter's "-> str:" annotation tells which outputs are strings.
    bool returns_str = starter.find("-> str:") != std::string::npos;
    problem.tests = input_output_tests(record->value("input_output", json()), returns_str);
  }
  if (problem.tests.empty()) problem.tests = check_tests(test, options);
  problem.reference["python"] = completion;
  problem.source = "newfacade/LeetCodeDataset " + slug;
  if (question_id.is_number_integer()) {
    problem.source += " (question " + std::to_string(question_id.get<int64_t>()) + ")";
  }
  problem.license = "MIT";
  return finish_problem(std::move(problem), error);
}

}  // namespace codejudge::problems::detail
