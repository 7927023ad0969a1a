// judges/scoring.h without a judge: the language choice, extraction and format of step one, and
// the reward of step two from a given result. The three callers agree on a corpus in
// tests/trainer/reward_contract_test.cpp.
#include "codejudge/judges/scoring.h"

#include <gtest/gtest.h>

#include "codejudge/judges/language.h"

namespace codejudge::judges {
namespace {

problems::Problem problem_in(problems::Mode mode) {
  problems::Problem p;
  p.id = "scoring";
  p.mode = mode;
  p.entry_point = "f";
  p.tests = {{"[1]", "1", ""}};
  return p;
}

const std::string kCpp = "<think>\nx\n</think>\n```cpp\nint f(int x) { return x; }\n```";

TEST(ScoringLanguage, RequestedElseTheLastBlocksElsePython) {
  const problems::Problem function = problem_in(problems::Mode::kFunction);
  EXPECT_EQ(scoring_language(function, kCpp, "py"), "python");
  EXPECT_EQ(scoring_language(function, "no code", ""), "python");
  EXPECT_EQ(scoring_language(function, "```rust\nfn main() {}\n```", ""), "python")
      << "no rust harness for function mode";
  const Language* cpp = find_language("cpp");
  ASSERT_NE(cpp, nullptr);
  if (!toolchain_version(*cpp).empty()) {
    EXPECT_EQ(scoring_language(function, kCpp, ""), "cpp");
  }
  EXPECT_EQ(scoring_language(problem_in(problems::Mode::kAssert), kCpp, ""), "python");
}

TEST(PrepareCompletion, ExtractsInTheChosenLanguageAndScoresTheFormat) {
  RewardOptions options;
  JudgeOptions limits;
  limits.time_ms = 500;
  PreparedCompletion prepared =
      prepare_completion(problem_in(problems::Mode::kFunction), kCpp, "c++", options, limits);
  EXPECT_TRUE(prepared.error.empty()) << prepared.error;
  EXPECT_EQ(prepared.language, "cpp");
  ASSERT_TRUE(prepared.submission);
  EXPECT_EQ(prepared.submission->language, "cpp");
  EXPECT_EQ(prepared.submission->code, "int f(int x) { return x; }");
  EXPECT_EQ(prepared.format, 1.0);
  EXPECT_TRUE(prepared.judge_options.stop_on_first_failure) << "binary accuracy";
  EXPECT_EQ(prepared.judge_options.time_ms, 500u) << "the caller's options are kept";

  options.accuracy = AccuracyMode::kFraction;
  prepared = prepare_completion(problem_in(problems::Mode::kFunction), kCpp, "python", options);
  EXPECT_FALSE(prepared.submission) << "no python block";
  EXPECT_FALSE(prepared.judge_options.stop_on_first_failure) << "fraction runs every test";
}

TEST(PrepareCompletion, ALanguageThatCannotRunIsANullRewardWithAReason) {
  const RewardOptions options;
  for (const auto& [mode, language] :
       {std::pair{problems::Mode::kAssert, "cpp"}, std::pair{problems::Mode::kStdio, "cobol"}}) {
    const PreparedCompletion prepared =
        prepare_completion(problem_in(mode), kCpp, language, options);
    EXPECT_FALSE(prepared.error.empty()) << language;
    EXPECT_FALSE(prepared.submission);
    const ScoredCompletion scored = score_prepared(prepared, nullptr, options);
    EXPECT_FALSE(scored.reward.reward);
    EXPECT_EQ(scored.reward.reason, prepared.error);
  }
}

TEST(ScorePrepared, TheVerdictBecomesTheRewardAndAnIECarriesTheJudgesMessage) {
  const RewardOptions options;
  const PreparedCompletion prepared =
      prepare_completion(problem_in(problems::Mode::kFunction), kCpp, "cpp", options);
  JudgeResult result;
  result.verdict = Verdict::kAC;
  result.passed = result.total = 1;
  ScoredCompletion scored = score_prepared(prepared, &result, options);
  ASSERT_TRUE(scored.reward.reward);
  EXPECT_NEAR(*scored.reward.reward, 1.1, 1e-9);
  EXPECT_EQ(scored.verdict, Verdict::kAC);
  EXPECT_EQ(scored.total, 1u);
  EXPECT_TRUE(scored.code_found);

  result.verdict = Verdict::kIE;
  result.message = "sandbox: cgroup vanished";
  scored = score_prepared(prepared, &result, options);
  EXPECT_FALSE(scored.reward.reward);
  EXPECT_EQ(scored.reward.reason,
            "internal error: the judge failed, mask this sample (sandbox: cgroup vanished)");

  scored = score_prepared(PreparedCompletion{}, nullptr, options);
  EXPECT_FALSE(scored.code_found);
  EXPECT_FALSE(scored.verdict);
  EXPECT_EQ(scored.total, 0u);
  ASSERT_TRUE(scored.reward.reward);
  EXPECT_EQ(*scored.reward.reward, 0.0);
}

}  // namespace
}  // namespace codejudge::judges
