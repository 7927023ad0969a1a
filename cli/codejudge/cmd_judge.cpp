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
    "                       [--stop-on-first-failure] [--return-outputs] [--cold]\n"
    "                       [--accuracy binary|fraction] (SOURCE | --completion FILE)\n"
    "  prints the result JSON; with --completion, the code is extracted from a raw model\n"
    "  completion and `format`, `accuracy` and `reward` are added\n"
    "  exit 0 on AC, 1 on any other verdict, 2 on a usage or internal error\n";

}  // namespace

int cmd_judge(const Args& args) {
  std::string problems_path, problem_id, language, source_path, completion_path, error;
  judges::JudgeOptions options;
  judges::RewardOptions reward_options;
  bool warm = true;
  const std::vector<flags::Flag> table = {
      {"--problems", "PATH", "", text_setter(&problems_path)},
      {"--problem", "ID", "", text_setter(&problem_id)},
      {"--language", "L", "", text_setter(&language)},
      {"--completion", "FILE", "", text_setter(&completion_path)},
      {"--accuracy", "MODE", "",
       [&reward_options](const std::string& text, std::string* why) {
         auto mode = judges::parse_accuracy_mode(text);
         if (!mode) *why = "--accuracy is binary or fraction";
         if (mode) reward_options.accuracy = *mode;
         return mode.has_value();
       }},
      {"--stop-on-first-failure", "", "", switch_setter(&options.stop_on_first_failure)},
      {"--return-outputs", "", "", switch_setter(&options.return_outputs)},
      {"--cold", "", "", switch_setter(&warm, false)},
  };
  if (int code = parse_flags(
          args, table, one_positional(&source_path, "more than one SOURCE given"), kJudgeUsage);
      code >= 0)
    return code;
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
  auto judge = make_judge(0, warm);
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
