// `codejudge judge`: one submission (or raw completion) against one problem.
#include <iostream>
#include <optional>

#include "codejudge/judges/language.h"
#include "codejudge/judges/scoring.h"
#include "codejudge/problems/loader.h"
#include "commands.h"
#include "judge_output.h"

namespace codejudge::cli {
namespace {

constexpr const char* kJudgeUsage =
    "usage: codejudge judge --problems PATH --problem ID --language L\n"
    "                       [--stop-on-first-failure] [--return-outputs]\n"
    "                       [--accuracy binary|fraction] (SOURCE | --completion FILE)\n"
    "  prints the result JSON; with --completion, the code is extracted from a raw model\n"
    "  completion and `format`, `accuracy` and `reward` are added\n"
    "  exit 0 on AC, 1 on any other verdict, 2 on a usage or internal error\n";

}  // namespace

int cmd_judge(const Args& args) {
  std::string problems_path, problem_id, language, source_path, completion_path, error;
  judges::JudgeOptions options;
  judges::RewardOptions reward_options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    const bool has_value = i + 1 < args.size();
    if (flag == "--help" || flag == "-h") {
      std::cout << kJudgeUsage;
      return 0;
    } else if (flag == "--problems" && has_value) {
      problems_path = args[++i];
    } else if (flag == "--problem" && has_value) {
      problem_id = args[++i];
    } else if (flag == "--language" && has_value) {
      language = args[++i];
    } else if (flag == "--completion" && has_value) {
      completion_path = args[++i];
    } else if (flag == "--accuracy" && has_value) {
      auto mode = judges::parse_accuracy_mode(args[++i]);
      if (!mode) return usage_error("--accuracy is binary or fraction", kJudgeUsage);
      reward_options.accuracy = *mode;
    } else if (flag == "--stop-on-first-failure") {
      options.stop_on_first_failure = true;
    } else if (flag == "--return-outputs") {
      options.return_outputs = true;
    } else if (flag.rfind("--", 0) == 0) {
      return usage_error("unknown or incomplete flag: " + flag, kJudgeUsage);
    } else if (source_path.empty()) {
      source_path = flag;
    } else {
      return usage_error("more than one SOURCE given", kJudgeUsage);
    }
  }
  if (problems_path.empty() || problem_id.empty() || language.empty()) {
    return usage_error("--problems, --problem and --language are required", kJudgeUsage);
  }
  if (source_path.empty() == completion_path.empty()) {
    return usage_error("give exactly one of SOURCE and --completion FILE", kJudgeUsage);
  }
  if (!judges::find_language(language)) {
    return usage_error("unknown language: " + language, kJudgeUsage);
  }
  problems::LoadResult loaded = problems::load_problems({problems_path});
  for (const problems::LoadError& e : loaded.errors) {
    std::cerr << "codejudge: skipped: " << e.to_string() << "\n";
  }
  problems::ProblemSet set(std::move(loaded.problems));
  const problems::Problem* problem = set.find(problem_id);
  if (!problem)
    return usage_error("no problem " + problem_id + " in " + problems_path, kJudgeUsage);

  std::string input;
  if (!read_text_file(completion_path.empty() ? source_path : completion_path, &input, &error)) {
    return usage_error(error, kJudgeUsage);
  }
  auto judge = make_judge();
  if (!judge) return 2;

  if (completion_path.empty()) {
    judges::JudgeResult result = judge->judge(*problem, {language, input}, options);
    std::cout << render(server::wire::judge_result_json(result, every_test(options.return_outputs)))
              << "\n";
    if (result.verdict == judges::Verdict::kIE) return 2;
    return result.verdict == judges::Verdict::kAC ? 0 : 1;
  }

  // The server's and the trainer's scoring (judges/scoring.h), judged with this command's own
  // options: --stop-on-first-failure and --return-outputs shape what is printed.
  const judges::PreparedCompletion prepared =
      judges::prepare_completion(*problem, input, language, reward_options, options);
  if (!prepared.error.empty()) return usage_error(prepared.error, kJudgeUsage);
  nlohmann::json json;
  std::optional<judges::JudgeResult> result;
  if (prepared.submission) {
    result = judge->judge(*problem, *prepared.submission, options);
    json = server::wire::judge_result_json(*result, every_test(options.return_outputs));
  } else {
    json = {{"verdict", nullptr},
            {"passed", 0},
            {"total", problem->tests.size()},
            {"message", "no code could be extracted from the completion"}};
  }
  const judges::ScoredCompletion scored =
      judges::score_prepared(prepared, result ? &*result : nullptr, reward_options);
  const judges::Reward& reward = scored.reward;
  json["extracted"] =
      prepared.submission ? nlohmann::json(prepared.submission->code) : nlohmann::json(nullptr);
  json["format"] = reward.format;
  json["accuracy"] = reward.accuracy;
  json["reward"] = reward.reward ? nlohmann::json(*reward.reward) : nlohmann::json(nullptr);
  if (!reward.reason.empty()) json["reward_reason"] = reward.reason;
  std::cout << render(json) << "\n";
  if (scored.verdict == judges::Verdict::kIE) return 2;
  return scored.verdict == judges::Verdict::kAC ? 0 : 1;
}

}  // namespace codejudge::cli
