// Importers on small hand-written fixtures (tests/problems/data) that follow each dataset's
// public schema; the real datasets are exercised in datasets_test.cpp.
#include "codejudge/problems/importers.h"

#include <gtest/gtest.h>

#include "codejudge/problems/json.h"
#include "codejudge/problems/loader.h"
#include "test_support.h"

namespace codejudge::problems {
namespace {

using support::data_dir;
using support::ScratchDir;

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

TEST(ImportDataset, UnknownFormatAndMissingFileFailWhole) {
  ImportResult result = import_dataset("kaggle", data_dir() + "/apps.jsonl");
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("unknown format 'kaggle'"), std::string::npos);
  result = import_dataset("apps", data_dir() + "/missing.jsonl");
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("missing.jsonl"), std::string::npos);
  EXPECT_EQ(import_formats().size(), 7u);
}

TEST(HumanEvalImport, SplitsFlatChecksAndKeepsSetup) {
  ImportResult result = import_dataset("humaneval", data_dir() + "/humaneval_split.jsonl");
  ASSERT_TRUE(result.ok()) << result.error;
  ASSERT_EQ(result.problems.size(), 3u);
  ASSERT_EQ(result.errors.size(), 1u);  // Fixture/3 lacks its fields
  EXPECT_EQ(result.errors[0].record, 3u);
  EXPECT_EQ(result.errors[0].line, 4u);
  EXPECT_NE(result.errors[0].reason.find("canonical_solution"), std::string::npos);

  const Problem& flat = result.problems[0];
  EXPECT_EQ(flat.id, "humaneval/0");
  EXPECT_EQ(flat.mode, Mode::kAssert);
  EXPECT_EQ(flat.entry_point, "double");
  ASSERT_EQ(flat.tests.size(), 3u);  // "assert True" does not use the candidate
  for (const problems::Test& test : flat.tests) {
    EXPECT_EQ(count(test.code, "assert candidate("), 1u) << test.code;
    EXPECT_NE(test.code.find("METADATA = {'author': 'codejudge'}"), std::string::npos);
    EXPECT_NE(test.code.find("def check(candidate):\n    import math\n"), std::string::npos);
  }
  // The continued assert stays whole; setup is kept only before the assert that needs it.
  EXPECT_NE(flat.tests[1].code.find("assert candidate(\n        21) == 42, \"a message"),
            std::string::npos);
  EXPECT_EQ(flat.tests[1].code.find("big ="), std::string::npos);
  EXPECT_NE(flat.tests[2].code.find("    big = 10 ** 20\n    assert candidate(big)"),
            std::string::npos);

  EXPECT_EQ(result.problems[1].tests.size(), 1u);  // a loop around an assert
  EXPECT_EQ(result.problems[2].tests.size(), 1u);  // setup calls the candidate
  EXPECT_EQ(flat.reference.at("python"),
            "def double(x):\n    \"\"\"Return 2 * x.\"\"\"\n    return 2 * x\n");
  EXPECT_EQ(flat.license, "MIT");

  ImportOptions options;
  options.split_asserts = false;
  result = import_dataset("humaneval", data_dir() + "/humaneval_split.jsonl", options);
  ASSERT_EQ(result.problems.size(), 3u);
  EXPECT_EQ(result.problems[0].tests.size(), 1u);
  options.split_asserts = true;
  options.max_split_tests = 2;
  result = import_dataset("humaneval", data_dir() + "/humaneval_split.jsonl", options);
  ASSERT_EQ(result.problems[0].tests.size(), 2u);
  EXPECT_EQ(count(result.problems[0].tests[0].code, "assert candidate("), 1u);
  EXPECT_EQ(count(result.problems[0].tests[1].code, "assert candidate("), 2u);
}

TEST(HumanEvalImport, SplitTestsRunAndCatchWrongAnswers) {
  if (!support::have_command("python3")) GTEST_SKIP() << "python3 not installed";
  ImportResult result = import_dataset("humaneval", data_dir() + "/humaneval_split.jsonl");
  ASSERT_EQ(result.problems.size(), 3u);
  const Problem& problem = result.problems[0];
  ScratchDir dir;
  std::string wrong = "def double(x):\n    return x + 2\n";  // right for x == 2 only
  for (const problems::Test& test : problem.tests) {
    EXPECT_TRUE(support::run_assert_test(problem, problem.reference.at("python"), test.code, dir))
        << test.code;
    EXPECT_FALSE(support::run_assert_test(problem, wrong, test.code, dir)) << test.code;
  }
}

TEST(AppsImport, StdioCallBasedAndBrokenRecords) {
  ImportResult result = import_dataset("apps", data_dir() + "/apps.jsonl");
  ASSERT_TRUE(result.ok()) << result.error;
  ASSERT_EQ(result.problems.size(), 4u);
  ASSERT_EQ(result.errors.size(), 3u);
  EXPECT_EQ(result.errors[0].line, 5u);  // the truncated record
  EXPECT_NE(result.errors[0].reason.find("invalid JSON"), std::string::npos);
  EXPECT_NE(result.errors[1].reason.find("no tests"), std::string::npos);
  EXPECT_NE(result.errors[2].reason.find("equal length"), std::string::npos);

  const Problem& square = result.problems[0];
  EXPECT_EQ(square.id, "apps/9001");
  EXPECT_EQ(square.mode, Mode::kStdio);
  EXPECT_EQ(square.difficulty, "easy");
  ASSERT_EQ(square.tests.size(), 2u);
  EXPECT_EQ(square.tests[1].input, "12\n");
  EXPECT_EQ(square.tests[1].expected, "144\n");
  EXPECT_EQ(square.reference.at("python"), "n = int(input())\nprint(n * n)\n");
  EXPECT_EQ(square.license, "MIT");
  EXPECT_NE(square.source.find("https://example.com/problems/square"), std::string::npos);

  const Problem& largest = result.problems[1];
  EXPECT_EQ(largest.mode, Mode::kAssert);
  EXPECT_EQ(largest.entry_point, "Solution().largest");
  EXPECT_EQ(largest.difficulty, "medium");
  ASSERT_EQ(largest.tests.size(), 3u);
  // Integers beyond 64 bits reach Python as written.
  EXPECT_NE(largest.tests[2].code.find("123456789012345678901234567890, 1"), std::string::npos);
  EXPECT_EQ(largest.starter_code.at("python").rfind("class Solution:", 0), 0u);

  const Problem& pair_sum = result.problems[2];
  EXPECT_EQ(pair_sum.entry_point, "pair_sum");
  EXPECT_EQ(pair_sum.difficulty, "hard");

  const Problem& echo = result.problems[3];
  EXPECT_EQ(echo.id, "apps/3");  // no problem_id: the record index
  EXPECT_EQ(echo.title, "Echo");
  EXPECT_EQ(echo.difficulty, "hard");
  EXPECT_EQ(echo.tags, (std::vector<std::string>{"Strings"}));
  EXPECT_EQ(echo.tests[0].input, "hello\nworld\n");
  EXPECT_EQ(echo.limits.time_ms, 2000u);
  EXPECT_EQ(echo.limits.memory_mb, 128u);
  EXPECT_EQ(echo.reference.at("python").rfind("import sys", 0), 0u);
}

TEST(AppsImport, CallTestsRunAndCatchWrongAnswers) {
  if (!support::have_command("python3")) GTEST_SKIP() << "python3 not installed";
  ImportResult result = import_dataset("apps", data_dir() + "/apps.jsonl");
  ASSERT_EQ(result.problems.size(), 4u);
  ScratchDir dir;
  for (size_t index : {1u, 2u}) {
    const Problem& problem = result.problems[index];
    for (const problems::Test& test : problem.tests) {
      EXPECT_TRUE(support::run_assert_test(problem, problem.reference.at("python"), test.code, dir))
          << problem.id << "\n"
          << test.code;
    }
  }
  const Problem& largest = result.problems[1];
  std::string wrong =
      "class Solution:\n    def largest(self, values):\n        return min(values)\n";
  EXPECT_FALSE(support::run_assert_test(largest, wrong, largest.tests[0].code, dir));
  // An object that claims equality with everything is not an answer.
  std::string rigged =
      "class Any:\n    def __eq__(self, other):\n        return True\n"
      "class Solution:\n    def largest(self, values):\n        return Any()\n";
  EXPECT_FALSE(support::run_assert_test(largest, rigged, largest.tests[0].code, dir));
}

TEST(CodeContestsImport, PublicTestsFirstLimitsAndReferences) {
  ImportResult result = import_dataset("codecontests", data_dir() + "/codecontests.jsonl");
  ASSERT_TRUE(result.ok()) << result.error;
  ASSERT_EQ(result.problems.size(), 2u);
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_EQ(result.errors[0].record, 2u);
  EXPECT_NE(result.errors[0].reason.find("public_tests"), std::string::npos);
  EXPECT_EQ(result.errors[1].record, 3u);

  const Problem& doubled = result.problems[0];
  EXPECT_EQ(doubled.id, "codecontests/9999_A._Double_It");
  EXPECT_EQ(doubled.title, "9999_A. Double It");
  EXPECT_EQ(doubled.mode, Mode::kStdio);
  ASSERT_EQ(doubled.tests.size(), 4u);
  EXPECT_EQ(doubled.public_tests, 1u);
  EXPECT_EQ(doubled.tests[0].input, "2\n");
  EXPECT_EQ(doubled.tests[3].expected, "14\n");
  EXPECT_EQ(doubled.difficulty, "easy");
  EXPECT_EQ(doubled.tags, (std::vector<std::string>{"math", "implementation"}));
  EXPECT_EQ(doubled.limits.time_ms, 2500u);
  EXPECT_EQ(doubled.limits.memory_mb, 256u);
  EXPECT_EQ(doubled.reference.at("python"), "print(int(input()) * 2)\n");  // first Python 3
  EXPECT_EQ(doubled.reference.at("cpp").rfind("#include <cstdio>", 0), 0u);
  EXPECT_EQ(doubled.license, "CC-BY-4.0");

  const Problem& pairs = result.problems[1];
  EXPECT_EQ(pairs.public_tests, 0u);
  EXPECT_EQ(pairs.tests.size(), 2u);
  EXPECT_EQ(pairs.difficulty, "");
  EXPECT_EQ(pairs.limits.time_ms, ProblemLimits{}.time_ms);
  EXPECT_TRUE(pairs.reference.empty());  // Java only

  ImportOptions options;
  options.codecontests_generated_tests = false;
  options.time_ms = 7000;
  result = import_dataset("codecontests", data_dir() + "/codecontests.jsonl", options);
  ASSERT_EQ(result.problems.size(), 2u);
  EXPECT_EQ(result.problems[0].tests.size(), 3u);
  EXPECT_EQ(result.problems[0].limits.time_ms, 7000u);
  EXPECT_EQ(result.problems[1].limits.time_ms, 7000u);
  options.time_ms = kMaxTimeMs + 1;
  result = import_dataset("codecontests", data_dir() + "/codecontests.jsonl", options);
  EXPECT_NE(result.error.find("time_ms"), std::string::npos);
}

TEST(WriteJsonl, RoundTripsThroughTheLoader) {
  ImportResult result = import_dataset("apps", data_dir() + "/apps.jsonl");
  ASSERT_EQ(result.problems.size(), 4u);
  ScratchDir dir;
  std::string error;
  ASSERT_TRUE(write_jsonl(result.problems, dir.file("apps.jsonl"), &error)) << error;
  LoadResult loaded = load_problems({dir.file("apps.jsonl")});
  ASSERT_TRUE(loaded.errors.empty()) << loaded.errors[0].to_string();
  ASSERT_EQ(loaded.problems.size(), result.problems.size());
  for (size_t i = 0; i < loaded.problems.size(); ++i) {
    EXPECT_EQ(to_json(loaded.problems[i]), to_json(result.problems[i]));
  }
}

TEST(WriteJsonl, RefusesInvalidProblemsAndLeavesNoFile) {
  Problem problem;
  problem.id = "bad id";
  problem.tests.push_back({"", "x", ""});
  ScratchDir dir;
  std::string error;
  EXPECT_FALSE(write_jsonl({problem}, dir.file("out.jsonl"), &error));
  EXPECT_NE(error.find("bad id"), std::string::npos);
  EXPECT_FALSE(support::exists(dir.file("out.jsonl")));
  problem.id = "good";
  EXPECT_FALSE(write_jsonl({problem}, dir.file("missing/dir/out.jsonl"), &error));
  EXPECT_NE(error.find("cannot write"), std::string::npos);
}

}  // namespace
}  // namespace codejudge::problems
