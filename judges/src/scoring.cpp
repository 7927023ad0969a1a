#include "codejudge/judges/scoring.h"

#include <utility>

#include "codejudge/judges/language.h"

namespace codejudge::judges {

std::string scoring_language(const problems::Problem& problem, std::string_view completion,
                             std::string_view requested) {
  if (!requested.empty()) return normalize_language(requested);
  // The completion's own block language when we can run it in this mode, else the fallback.
  const Language* found = find_language(last_block_language(completion));
  if (found == nullptr || toolchain_version(*found).empty() ||
      !mode_supports(problem.mode, found->name)) {
    return std::string(kFallbackLanguage);
  }
  return found->name;
}

PreparedCompletion prepare_completion(const problems::Problem& problem, std::string_view completion,
                                      std::string_view language, const RewardOptions& options,
                                      JudgeOptions judge_options) {
  PreparedCompletion prepared;
  prepared.language = scoring_language(problem, completion, language);
  const Language* found = find_language(prepared.language);
  if (found == nullptr) {
    prepared.error = "unknown language '" + std::string(language) + "'";
    return prepared;
  }
  if (!mode_supports(problem.mode, found->name)) {
    prepared.error = mode_support_error(problem.mode, found->name);
    return prepared;
  }
  judge_options.stop_on_first_failure = options.accuracy == AccuracyMode::kBinary;
  prepared.judge_options = judge_options;
  ExtractOptions extract = options.extract;
  extract.language = prepared.language;
  std::optional<std::string> code = extract_code(completion, extract);
  prepared.format = format_reward(completion, options.format);
  if (code) prepared.submission = Submission{prepared.language, std::move(*code)};
  return prepared;
}

ScoredCompletion score_prepared(const PreparedCompletion& prepared, const JudgeResult* result,
                                const RewardOptions& options) {
  ScoredCompletion scored;
  scored.language = prepared.language;
  if (!prepared.error.empty()) {
    scored.reward.reason = prepared.error;
    return scored;
  }
  scored.code_found = prepared.submission.has_value();
  RewardInput input;
  input.code_found = scored.code_found;
  if (result != nullptr) {
    scored.verdict = result->verdict;
    scored.passed = result->passed;
    scored.total = result->total;
    input.verdict = result->verdict;
    input.passed = result->passed;
    input.total = result->total;
  }
  scored.reward = compute_reward(input, prepared.format, options);
  // An IE says which part of the judge failed, for the operator reading the trainer's logs.
  if (scored.code_found && result != nullptr && result->verdict == Verdict::kIE &&
      !result->message.empty()) {
    scored.reward.reason += " (" + result->message + ")";
  }
  return scored;
}

ScoredCompletion score_completion(Judge& judge, const problems::Problem& problem,
                                  std::string_view completion, std::string_view language,
                                  const RewardOptions& options) {
  const PreparedCompletion prepared = prepare_completion(problem, completion, language, options);
  if (!prepared.submission) return score_prepared(prepared, nullptr, options);
  JudgeResult result;
  try {
    result = judge.judge(problem, *prepared.submission, prepared.judge_options);
  } catch (const std::exception& e) {
    result.verdict = Verdict::kIE;
    result.message = std::string("judge failed: ") + e.what();
  }
  return score_prepared(prepared, &result, options);
}

}  // namespace codejudge::judges
