// The one way the trainer gets rewards: a RewardClient turns (problem, raw completion) pairs into
// rewards. Two implementations honour the same contract (tests/trainer/reward_contract_test.cpp
// runs one suite against both):
//   - in process: judges::score_completion (judges/scoring.h) on a pool of threads
//     (in_process_reward_client.h, library codejudge::trainer_in_process: the only part of the
//     trainer that links the judges);
//   - HTTP: POST /v1/rewards on one or more `codejudge serve` instances, batches spread
//     round-robin, with per-request timeouts and retries with backoff on other servers.
// An infrastructure failure (IE, an unreachable server) gives a null reward with a reason, so the
// trainer masks the sample instead of learning from our failure. score() never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codejudge/judges/rewards.h"  // AccuracyMode: an enum, no link to the judges
#include "codejudge/problems/problem.h"

namespace codejudge::trainer {

struct RewardRequest {
  const problems::Problem* problem = nullptr;  // must outlive score()
  std::string completion;                      // the model's raw text
  std::string language = "python";             // empty: the language of the completion's last block
};

struct RewardResult {
  std::optional<double> reward;  // nullopt: IE or no answer from any server; mask the sample
  double accuracy = 0.0;
  double format = 0.0;
  std::string verdict;  // "AC", "WA", ...; empty when no code was extracted or on failure
  size_t passed = 0;
  size_t total = 0;
  bool extracted = false;  // code was found in the completion
  std::string reason;      // why reward is null, or which penalty applied
};

// What both implementations compute (the server gets the same through its request fields).
struct RewardSettings {
  judges::AccuracyMode accuracy = judges::AccuracyMode::kBinary;
  double accuracy_weight = 1.0;
  double format_weight = 0.1;
};

class RewardClient {
 public:
  virtual ~RewardClient() = default;
  // One result per request, in order.
  virtual std::vector<RewardResult> score(const std::vector<RewardRequest>& requests) = 0;
  // "in-process (8 threads)", "http (2 servers)": for logs and reports.
  virtual std::string describe() const = 0;
};

struct HttpRewardConfig {
  RewardSettings settings;
  std::vector<std::string> servers;  // "host:port" or "http://host:port" (no TLS)
  uint64_t timeout_ms = 120000;      // per request: connect, send, judge, receive
  size_t max_attempts = 4;           // per batch, each on the next server
  uint64_t backoff_ms = 200;         // before retry i: backoff_ms * 2^(i-1), capped at 5 s
  size_t max_items_per_request = 64;
  // Send each problem inline (mode, tests, entry_point, signature, checker, limits), so servers
  // need not know it; false sends only problem_id. A problem with a preamble always goes by id
  // (the inline form has no preamble field).
  bool inline_problems = true;
};

std::unique_ptr<RewardClient> make_http_reward_client(const HttpRewardConfig& config,
                                                      std::string* error);

}  // namespace codejudge::trainer
