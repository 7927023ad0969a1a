// Scoring a completion: the one policy from a model's raw text to a reward, shared by every path
// that gives rewards (the server's /v1/rewards and /get_reward, the trainer's in-process client).
// Callers only translate: their request into (problem, completion, language, options), and the
// ScoredCompletion into their reply. tests/trainer/reward_contract_test.cpp checks that the three
// paths agree on a corpus of completions.
//
// Two steps, so that a server can judge on its own queue between them:
//   prepare_completion: the language, the extracted code and the format reward (nothing runs);
//   score_prepared: the reward from the judge's result (accuracy, penalties, the IE reason).
// score_completion does both with a Judge.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "codejudge/judges/judge.h"
#include "codejudge/judges/rewards.h"
#include "codejudge/problems/problem.h"

namespace codejudge::judges {

// The language a completion is judged in. `requested` (a name or alias) when not empty; else the
// language of the completion's last closed, non-blank fenced block when its toolchain is
// installed and it runs the problem's mode; else kFallbackLanguage (python, language.h).
std::string scoring_language(const problems::Problem& problem, std::string_view completion,
                             std::string_view requested);

struct PreparedCompletion {
  std::string language;                  // canonical when known
  std::optional<Submission> submission;  // nullopt: nothing to judge (no code, or error)
  JudgeOptions judge_options;            // the caller's, with the accuracy mode's early stop
  double format = 0.0;                   // the format reward
  // The request cannot be scored as asked (an unknown language, one that does not run the
  // problem's mode): the reward is null with this reason. Servers refuse such requests first.
  std::string error;
};

// Chooses the language (scoring_language), extracts the code in it (options.extract, with the
// language set) and computes the format reward. Binary accuracy is decided by the first failing
// test, so judge_options.stop_on_first_failure is set for it; fraction needs every test.
PreparedCompletion prepare_completion(const problems::Problem& problem, std::string_view completion,
                                      std::string_view language, const RewardOptions& options,
                                      JudgeOptions judge_options = {});

struct ScoredCompletion {
  std::string language;
  bool code_found = false;
  std::optional<Verdict> verdict;  // nullopt: nothing was judged
  size_t passed = 0;               // tests passed and run; 0 when nothing was judged
  size_t total = 0;
  Reward reward;  // on IE the reason ends with the judge's message in parentheses
};

// The reward of a prepared completion; result is the judge's verdict on prepared.submission, or
// null when nothing was judged.
ScoredCompletion score_prepared(const PreparedCompletion& prepared, const JudgeResult* result,
                                const RewardOptions& options);

// prepare_completion, judge (an exception thrown by the judge is an IE) and score_prepared.
ScoredCompletion score_completion(Judge& judge, const problems::Problem& problem,
                                  std::string_view completion, std::string_view language,
                                  const RewardOptions& options);

}  // namespace codejudge::judges
