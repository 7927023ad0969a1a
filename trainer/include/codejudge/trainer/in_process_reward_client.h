// The in-process RewardClient: judges::score_completion on a pool of threads, with a Judge of
// its own or the caller's. The only part of the trainer that links the judges (and so the
// sandbox): library codejudge::trainer_in_process.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "codejudge/judges/judge.h"
#include "codejudge/trainer/reward_client.h"

namespace codejudge::trainer {

struct InProcessRewardConfig {
  RewardSettings settings;
  judges::JudgeConfig judge;
  size_t threads = 0;  // submissions judged at once; 0: judge.workers, else the CPU count
};

// Starts a Judge (sandbox, cache, worker pool); nullptr with *error when it cannot.
std::unique_ptr<RewardClient> make_in_process_reward_client(const InProcessRewardConfig& config,
                                                            std::string* error);

// Scores with a Judge the caller owns (it must outlive the client).
std::unique_ptr<RewardClient> make_in_process_reward_client(judges::Judge* judge,
                                                            const RewardSettings& settings,
                                                            size_t threads);

}  // namespace codejudge::trainer
