// The JSON edge of the API: request bodies -> native judge tasks, results -> response bodies.
// Nothing here runs code or touches sockets. Every decoder returns an Error naming the field
// ("tests[2].input: required string") instead of throwing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "codejudge/judges/judge.h"
#include "codejudge/judges/scoring.h"
#include "codejudge/problems/loader.h"
#include "codejudge/server/config.h"

namespace codejudge::server::api {

using nlohmann::json;

// Deeper JSON is refused before it is parsed (nlohmann's dump and copies recurse).
inline constexpr size_t kMaxJsonDepth = 64;

struct Error {
  int status = 400;
  std::string code = "bad_request";
  std::string message;  // starts with the field path when there is one
  std::string field;
};

json error_json(const Error& error);

// What parsing a JSON text will cost, from one pass over it without parsing: its nesting depth
// (the scan stops early once it passes kMaxJsonDepth), its values (keys not counted), and an
// upper estimate of the memory nlohmann's DOM of it takes (tests/server/api_test.cpp checks
// the estimate against glibc's own count for the worst shapes).
struct JsonSize {
  size_t depth = 0;
  uint64_t values = 0;
  uint64_t memory_bytes = 0;
};
JsonSize measure_json(std::string_view text);

// Parses a request body into a JSON object: 400 for invalid JSON, too deep, or not an object.
// measured: measure_json(body), when the caller has it already.
std::optional<json> parse_body(std::string_view body, Error* error,
                               const JsonSize* measured = nullptr);

// What a request may ask for, from the server configuration.
struct Caps {
  size_t max_items = 1024;
  size_t max_tests = 1000;
  uint64_t max_time_ms = 20000;
  uint64_t max_memory_mb = 4096;
  uint64_t max_output_kb = 65536;
  uint64_t max_run_timeout_ms = 30000;  // /run_code
};
Caps caps_from(const ServerConfig& config);

// One submission to judge, in the judges' own types.
struct JudgeTask {
  std::shared_ptr<const problems::Problem> problem;  // from the set (not owned) or inline
  size_t revealed_tests = 0;  // tests whose outputs and messages may be returned
  judges::Submission submission;
  judges::JudgeOptions options;
};

// A /v1/judge body (or one batch item; prefix "submissions[3]." is put before field names).
std::optional<JudgeTask> decode_submission(const json& body, const problems::ProblemSet& problems,
                                           const Caps& caps, const std::string& prefix,
                                           Error* error);
// A /v1/judge/batch body: one task or one error per item, in order.
struct BatchItem {
  std::optional<JudgeTask> task;
  Error error;
};
std::optional<std::vector<BatchItem>> decode_batch(const json& body,
                                                   const problems::ProblemSet& problems,
                                                   const Caps& caps, Error* error);

json encode_judge_result(const judges::JudgeResult& result, const JudgeTask& task);

// A completion to reward. Without a task (no code, or an item error) nothing is judged.
struct RewardItem {
  judges::PreparedCompletion prepared;  // judges' scoring, step one; its code moved to task
  std::optional<JudgeTask> task;        // the submission on its problem, when there is code
  std::optional<Error> error;
  std::string reason;  // why nothing was judged in a valid item (the prompt not in the query)
};
struct RewardBatch {
  std::vector<RewardItem> items;
  judges::RewardOptions options;
};
// /v1/rewards.
std::optional<RewardBatch> decode_rewards(const json& body, const problems::ProblemSet& problems,
                                          const Caps& caps, Error* error);
// /get_reward (OpenRLHF): query = prompt + completion, labels = problem ids (or inline specs).
// With prompts, only the response after the prompt is scored (judges::response_after_prompt);
// a query in which the prompt cannot be found scores 0 with a reason, never the whole query.
std::optional<RewardBatch> decode_get_reward(const json& body, const problems::ProblemSet& problems,
                                             const Caps& caps, const ServerConfig& config,
                                             Error* error);
// The reward of one item; result is null when nothing was judged.
judges::Reward reward_of(const RewardItem& item, const judges::JudgeResult* result,
                         const judges::RewardOptions& options);
json encode_reward_item(const RewardItem& item, const judges::JudgeResult* result,
                        const judges::Reward& reward);

// /run_code (SandboxFusion).
struct RunCodeTask {
  judges::Submission submission;
  std::string stdin_data;
  sandbox::Limits limits;
  bool compiled_language = false;  // SandboxFusion reports compile_result only for these
  bool timeout_capped = false;     // run_timeout was above --max-run-timeout-s
  judges::RunFiles files;          // `files` (decoded) and `fetch_files`
};
std::optional<RunCodeTask> decode_run_code(const json& body, const Caps& caps, Error* error);
json encode_run_code(const RunCodeTask& task, const judges::Judge::RunOutput& output);
// What a /run_code outcome counts as in codejudge_verdicts_total: OK, CE, RE, TLE, MLE, OLE, SE
// or IE (our failure, counted in codejudge_internal_errors_total too).
const char* run_verdict(const judges::Judge::RunOutput& output);

}  // namespace codejudge::server::api
