// The importers on the real public datasets (skipped where ../shared/datasets is missing).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "codejudge/problems/importers.h"
#include "codejudge/problems/json.h"
#include "test_support.h"

namespace codejudge::problems {
namespace {

using nlohmann::json;
using support::datasets_dir;
using support::ScratchDir;

ImportResult import_or_skip(const std::string& format, const std::string& relative,
                            const ImportOptions& options = {}) {
  ImportResult result = import_dataset(format, datasets_dir() + "/" + relative, options);
  EXPECT_TRUE(result.ok()) << result.error;
  for (const ImportError& error : result.errors) ADD_FAILURE() << error.to_string();
  return result;
}

#define SKIP_WITHOUT(relative)                                                    \
  if (!support::exists(datasets_dir() + "/" + (relative))) {                      \
    GTEST_SKIP() << "dataset not found: " << datasets_dir() << "/" << (relative); \
  }

const Problem* find(const ImportResult& result, const std::string& id) {
  for (const Problem& problem : result.problems) {
    if (problem.id == id) return &problem;
  }
  return nullptr;
}

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

// Every problem validates, ids are unique and carry the prefix.
void expect_well_formed(const ImportResult& result, const std::string& prefix) {
  std::set<std::string> ids;
  for (const Problem& problem : result.problems) {
    EXPECT_EQ(validate_problem(problem), "") << problem.id;
    EXPECT_EQ(problem.id.rfind(prefix, 0), 0u) << problem.id;
    EXPECT_TRUE(ids.insert(problem.id).second) << "duplicate " << problem.id;
    EXPECT_FALSE(problem.license.empty());
  }
}

TEST(HumanEvalDataset, Imports164WithSplitChecks) {
  SKIP_WITHOUT("humaneval/HumanEval.jsonl.gz");
  ImportResult result = import_or_skip("humaneval", "humaneval/HumanEval.jsonl.gz");
  ASSERT_EQ(result.problems.size(), 164u);
  expect_well_formed(result, "humaneval/");
  const Problem* first = find(result, "humaneval/0");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->entry_point, "has_close_elements");
  EXPECT_EQ(first->mode, Mode::kAssert);
  EXPECT_EQ(first->reference.at("python").rfind(first->statement, 0), 0u);
  EXPECT_NE(first->reference.at("python").find("def has_close_elements("), std::string::npos);
  EXPECT_EQ(first->tests.size(), 7u);  // its check() is seven flat asserts
  for (const problems::Test& test : first->tests)
    EXPECT_EQ(count(test.code, "assert candidate("), 1u);
  // poly() lives in the prompt and the check() loops: one test, run after the preamble.
  const Problem* find_zero = find(result, "humaneval/32");
  ASSERT_NE(find_zero, nullptr);
  EXPECT_EQ(find_zero->tests.size(), 1u);
  EXPECT_NE(find_zero->preamble.at("python").find("def poly("), std::string::npos);
}

TEST(HumanEvalDataset, ReferencePassesAndWrongAnswerFails) {
  SKIP_WITHOUT("humaneval/HumanEval.jsonl.gz");
  if (!support::have_command("python3")) GTEST_SKIP() << "python3 not installed";
  ImportResult result = import_or_skip("humaneval", "humaneval/HumanEval.jsonl.gz");
  const Problem* problem = find(result, "humaneval/0");
  ASSERT_NE(problem, nullptr);
  ScratchDir dir;
  const std::string& reference = problem->reference.at("python");
  std::string always_true = "def has_close_elements(numbers, threshold):\n    return True\n";
  // The first asserts expect True, then False: partial credit is possible after splitting.
  size_t failed = 0, tried = 3;
  ASSERT_GE(problem->tests.size(), tried);
  for (size_t i = 0; i < tried; ++i) {
    const std::string& code = problem->tests[i].code;
    EXPECT_TRUE(support::run_assert_test(*problem, reference, code, dir));
    failed += support::run_assert_test(*problem, always_true, code, dir) ? 0 : 1;
  }
  EXPECT_GT(failed, 0u);
  EXPECT_LT(failed, tried);
}

TEST(HumanEvalPlusDataset, Imports164InChunks) {
  SKIP_WITHOUT("humanevalplus/HumanEvalPlus.jsonl.gz");
  ImportResult result = import_or_skip("humanevalplus", "humanevalplus/HumanEvalPlus.jsonl.gz");
  ASSERT_EQ(result.problems.size(), 164u);
  expect_well_formed(result, "humanevalplus/");
  const Problem* first = find(result, "humanevalplus/0");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->entry_point, "has_close_elements");
  // 7 base inputs form one chunk; the plus inputs follow in chunks of 50.
  ASSERT_GE(first->tests.size(), 2u);
  EXPECT_NE(first->tests[0].code.find("_CJ_FIRST = 0\n"), std::string::npos);
  EXPECT_NE(first->tests[1].code.find("_CJ_FIRST = 7\n"), std::string::npos);
  EXPECT_NE(first->tests[0].code.find("_CJ_ENTRY_POINT = 'has_close_elements'"), std::string::npos);
  EXPECT_NE(first->tests[0].code.find("_CJ_ORACLE = 'default'"), std::string::npos);
  const Problem* find_zero = find(result, "humanevalplus/32");
  ASSERT_NE(find_zero, nullptr);
  EXPECT_NE(find_zero->tests[0].code.find("_CJ_ORACLE = 'poly_root'"), std::string::npos);
  EXPECT_NE(find_zero->tests[0].code.find("_CJ_ATOL = 0.0001"), std::string::npos);

  ImportOptions options;
  options.chunk_size = 1000000;
  ImportResult whole = import_dataset(
      "humanevalplus", datasets_dir() + "/humanevalplus/HumanEvalPlus.jsonl.gz", options);
  ASSERT_EQ(whole.problems.size(), 164u);
  for (const Problem& problem : whole.problems) {
    EXPECT_LE(problem.tests.size(), 2u) << problem.id;  // one base chunk, one plus chunk
  }
}

TEST(HumanEvalPlusDataset, ChunkRunsAndCatchesWrongAnswers) {
  SKIP_WITHOUT("humanevalplus/HumanEvalPlus.jsonl.gz");
  if (!support::have_command("python3")) GTEST_SKIP() << "python3 not installed";
  ImportResult result = import_or_skip("humanevalplus", "humanevalplus/HumanEvalPlus.jsonl.gz");
  const Problem* problem = find(result, "humanevalplus/2");  // truncate_number: floats
  ASSERT_NE(problem, nullptr);
  ScratchDir dir;
  const std::string& code = problem->tests[0].code;
  EXPECT_TRUE(support::run_assert_test(*problem, problem->reference.at("python"), code, dir));
  // Within evalplus's 1e-6 for float answers, and outside it.
  std::string close = "def truncate_number(number):\n    return number % 1.0 + 1e-9\n";
  std::string far = "def truncate_number(number):\n    return number % 1.0 + 1e-3\n";
  EXPECT_TRUE(support::run_assert_test(*problem, close, code, dir));
  EXPECT_FALSE(support::run_assert_test(*problem, far, code, dir));
}

TEST(MbppDataset, Imports974AndSanitized427) {
  SKIP_WITHOUT("mbpp/mbpp.jsonl");
  ImportResult full = import_or_skip("mbpp", "mbpp/mbpp.jsonl");
  ASSERT_EQ(full.problems.size(), 974u);
  expect_well_formed(full, "mbpp/");
  const Problem* first = find(full, "mbpp/1");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->entry_point, "min_cost");
  ASSERT_EQ(first->tests.size(), 3u);
  EXPECT_EQ(first->tests[0].code.rfind("assert min_cost(", 0), 0u);
  EXPECT_EQ(first->public_tests, 1u);
  EXPECT_NE(first->statement.find(first->tests[0].code.substr(0, 20)), std::string::npos);
  EXPECT_EQ(first->license, "CC-BY-4.0");
  size_t with_setup = 0;
  for (const Problem& problem : full.problems) {
    EXPECT_EQ(problem.tests.size(), 3u) << problem.id;
    EXPECT_NE(problem.tests[0].code.find(problem.entry_point), std::string::npos) << problem.id;
    with_setup += problem.tests[0].code.rfind("assert", 0) != 0;
  }
  EXPECT_EQ(with_setup, 2u);  // the two records with test_setup_code

  SKIP_WITHOUT("mbpp/sanitized-mbpp.json");
  ImportResult sanitized = import_or_skip("mbpp", "mbpp/sanitized-mbpp.json");
  ASSERT_EQ(sanitized.problems.size(), 427u);
  expect_well_formed(sanitized, "mbpp-sanitized/");
  size_t with_imports = 0;
  for (const Problem& problem : sanitized.problems) {
    with_imports += problem.tests[0].code.rfind("import math\n", 0) == 0;
  }
  EXPECT_EQ(with_imports, 13u);  // the records with test_imports
  const Problem* two = find(sanitized, "mbpp-sanitized/2");
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(two->entry_point, "similar_elements");  // inside set(...)
}

TEST(MbppPlusDataset, Imports378WithTypesAndOracles) {
  SKIP_WITHOUT("mbppplus/MbppPlus.jsonl.gz");
  ImportResult result = import_or_skip("mbppplus", "mbppplus/MbppPlus.jsonl.gz");
  ASSERT_EQ(result.problems.size(), 378u);
  expect_well_formed(result, "mbppplus/");
  const Problem* two = find(result, "mbppplus/2");
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(two->entry_point, "similar_elements");
  EXPECT_EQ(two->statement.rfind("Write a function to find the shared elements", 0), 0u);
  EXPECT_NE(two->tests[0].code.find("_CJ_EXAMPLE = '(3, 4, 5, 6),(5, 7, 4, 10)'"),
            std::string::npos);
  EXPECT_NE(two->tests[0].code.find("_CJ_ORACLE = 'set'"), std::string::npos);
  // Mbpp/793 has no plus inputs ("plus_input": {}): just the base chunk.
  const Problem* last = find(result, "mbppplus/793");
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->tests.size(), 1u);
  // Mbpp/404 has Infinity among its inputs: passed through as text for Python's json.
  const Problem* minimum = find(result, "mbppplus/404");
  ASSERT_NE(minimum, nullptr);
  bool infinity = false;
  for (const problems::Test& test : minimum->tests)
    infinity |= test.code.find("Infinity") != std::string::npos;
  EXPECT_TRUE(infinity);
}

TEST(MbppPlusDataset, TuplesAreRestoredForTheCandidate) {
  SKIP_WITHOUT("mbppplus/MbppPlus.jsonl.gz");
  if (!support::have_command("python3")) GTEST_SKIP() << "python3 not installed";
  ImportResult result = import_or_skip("mbppplus", "mbppplus/MbppPlus.jsonl.gz");
  const Problem* two = find(result, "mbppplus/2");
  ASSERT_NE(two, nullptr);
  ScratchDir dir;
  const std::string& code = two->tests[0].code;
  EXPECT_TRUE(support::run_assert_test(*two, two->reference.at("python"), code, dir));
  // Only correct for tuples (list + tuple raises), in another order: the set oracle accepts it.
  std::string tuples_only =
      "def similar_elements(a, b):\n"
      "    return tuple(sorted(set(a + ()) & set(b + ()), reverse=True))\n";
  EXPECT_TRUE(support::run_assert_test(*two, tuples_only, code, dir));
  std::string wrong = "def similar_elements(a, b):\n    return tuple(set(a) | set(b))\n";
  EXPECT_FALSE(support::run_assert_test(*two, wrong, code, dir));
}

TEST(LeetCodeDataset, ImportsV031Test228) {
  SKIP_WITHOUT("leetcodedataset/LeetCodeDataset-v0.3.1-test.jsonl.gz");
  ImportResult result =
      import_or_skip("leetcodedataset", "leetcodedataset/LeetCodeDataset-v0.3.1-test.jsonl.gz");
  ASSERT_EQ(result.problems.size(), 228u);
  expect_well_formed(result, "leetcode/");
  const Problem* problem = find(result, "leetcode/shortest-distance-after-road-addition-queries-i");
  ASSERT_NE(problem, nullptr);
  EXPECT_EQ(problem->title, "Shortest Distance After Road Addition Queries I");
  EXPECT_EQ(problem->entry_point, "Solution().shortestDistanceAfterQueries");
  EXPECT_EQ(problem->difficulty, "medium");
  EXPECT_EQ(problem->tags.front(), "Breadth-First Search");
  EXPECT_NE(problem->preamble.at("python").find("class ListNode"), std::string::npos);
  EXPECT_EQ(problem->starter_code.at("python").rfind("class Solution:", 0), 0u);
  EXPECT_NE(problem->statement.find("unidirectional road"), std::string::npos);
  EXPECT_GT(problem->tests.size(), 10u);
  for (const problems::Test& test : problem->tests) {
    EXPECT_EQ(test.code.rfind("def check(candidate):\n", 0), 0u);
    EXPECT_EQ(count(test.code, "assert candidate("), 1u);
  }
  std::set<std::string> difficulties;
  for (const Problem& p : result.problems) difficulties.insert(p.difficulty);
  EXPECT_EQ(difficulties, (std::set<std::string>{"easy", "medium", "hard"}));

  ImportOptions options;
  options.leetcode_input_output = true;
  ImportResult pairs = import_or_skip(
      "leetcodedataset", "leetcodedataset/LeetCodeDataset-v0.3.1-test.jsonl.gz", options);
  ASSERT_EQ(pairs.problems.size(), 228u);
  problem = find(pairs, "leetcode/shortest-distance-after-road-addition-queries-i");
  ASSERT_NE(problem, nullptr);
  EXPECT_NE(problem->tests[0].code.find("assert candidate(n = 7, queries = [[0,5],[1,6],[2,4]])"),
            std::string::npos);
  size_t string_problems = 0;
  for (const Problem& p : pairs.problems) {
    bool returns_str = p.starter_code.at("python").find("-> str:") != std::string::npos;
    string_problems += returns_str;
    for (const problems::Test& test : p.tests) {
      EXPECT_EQ(test.code.find("Execution timed out"), std::string::npos) << p.id;
      EXPECT_EQ(test.code.find("== 'Error: "), std::string::npos) << p.id;
      // String answers are written unquoted in the data; they must reach Python as strings.
      size_t compare = test.code.rfind(") == ");
      if (returns_str && compare != std::string::npos) {
        char first = test.code[compare + 5];
        EXPECT_TRUE(first == '\'' || first == '"') << p.id << "\n" << test.code;
      }
    }
  }
  EXPECT_GT(string_problems, 0u);
}

TEST(LeetCodeDataset, ImportsV020Train1890AndTest200) {
  SKIP_WITHOUT("leetcodedataset/LeetCodeDataset-v0.2.0-train.jsonl.gz");
  ImportResult train =
      import_or_skip("leetcodedataset", "leetcodedataset/LeetCodeDataset-v0.2.0-train.jsonl.gz");
  ASSERT_EQ(train.problems.size(), 1890u);
  expect_well_formed(train, "leetcode/");
  const Problem* two_sum = find(train, "leetcode/two-sum");
  ASSERT_NE(two_sum, nullptr);
  EXPECT_EQ(two_sum->difficulty, "easy");  // from meta in v0.2.0
  EXPECT_EQ(two_sum->starter_code.at("python").rfind("class Solution:", 0), 0u);
  EXPECT_EQ(two_sum->tests.size(), 3u);
  EXPECT_NE(two_sum->statement.find("indices of the two numbers"), std::string::npos);

  ImportResult test =
      import_or_skip("leetcodedataset", "leetcodedataset/LeetCodeDataset-v0.2.0-test.jsonl.gz");
  ASSERT_EQ(test.problems.size(), 200u);
  for (const Problem& problem : test.problems) {
    EXPECT_FALSE(problem.difficulty.empty()) << problem.id;  // "Meidum" is read as medium
  }
}

TEST(LeetCodeDataset, SplitTestsRunWithThePreamble) {
  SKIP_WITHOUT("leetcodedataset/LeetCodeDataset-v0.3.1-test.jsonl.gz");
  if (!support::have_command("python3")) GTEST_SKIP() << "python3 not installed";
  ImportResult result =
      import_or_skip("leetcodedataset", "leetcodedataset/LeetCodeDataset-v0.3.1-test.jsonl.gz");
  ASSERT_FALSE(result.problems.empty());
  const Problem& problem = result.problems.front();
  ScratchDir dir;
  for (size_t i = 0; i < problem.tests.size() && i < 3; ++i) {
    EXPECT_TRUE(support::run_assert_test(problem, problem.reference.at("python"),
                                         problem.tests[i].code, dir))
        << problem.tests[i].code;
  }
}

}  // namespace
}  // namespace codejudge::problems
