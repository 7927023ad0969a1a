// The in-process RewardClient: judges::score_completion on a pool of threads.
#include <algorithm>
#include <atomic>
#include <thread>

#include "codejudge/judges/scoring.h"
#include "codejudge/trainer/in_process_reward_client.h"

namespace codejudge::trainer {

namespace {

class InProcessRewardClient : public RewardClient {
 public:
  InProcessRewardClient(std::unique_ptr<judges::Judge> owned, judges::Judge* judge,
                        const RewardSettings& settings, size_t threads)
      : owned_(std::move(owned)), judge_(judge), threads_(std::max<size_t>(1, threads)) {
    options_.accuracy = settings.accuracy;
    options_.accuracy_weight = settings.accuracy_weight;
    options_.format_weight = settings.format_weight;
  }

  std::vector<RewardResult> score(const std::vector<RewardRequest>& requests) override {
    std::vector<RewardResult> results(requests.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i = next++; i < requests.size(); i = next++) {
        results[i] = score_one(requests[i]);
      }
    };
    size_t n = std::min(threads_, requests.size());
    std::vector<std::thread> pool;
    for (size_t t = 1; t < n; ++t) pool.emplace_back(work);
    work();
    for (auto& thread : pool) thread.join();
    return results;
  }

  std::string describe() const override {
    return "in-process (" + std::to_string(threads_) + " threads)";
  }

 private:
  RewardResult score_one(const RewardRequest& request) const {
    RewardResult out;
    if (request.problem == nullptr) {
      out.reason = "no problem given";
      return out;  // null reward: our caller's bug, not the model's
    }
    try {
      const judges::ScoredCompletion scored = judges::score_completion(
          *judge_, *request.problem, request.completion, request.language, options_);
      out.reward = scored.reward.reward;
      out.accuracy = scored.reward.accuracy;
      out.format = scored.reward.format;
      if (scored.verdict) out.verdict = judges::verdict_name(*scored.verdict);
      out.passed = scored.passed;
      out.total = scored.total;
      out.extracted = scored.code_found;
      out.reason = scored.reward.reason;
    } catch (const std::exception& e) {
      out = RewardResult{};
      out.reason = std::string("internal error: ") + e.what();
    }
    return out;
  }

  std::unique_ptr<judges::Judge> owned_;
  judges::Judge* judge_;
  size_t threads_;
  judges::RewardOptions options_;
};

}  // namespace

std::unique_ptr<RewardClient> make_in_process_reward_client(const InProcessRewardConfig& config,
                                                            std::string* error) {
  std::unique_ptr<judges::Judge> judge = judges::Judge::create(config.judge, error);
  if (!judge) return nullptr;
  size_t threads = config.threads;
  if (threads == 0) threads = config.judge.workers;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  judges::Judge* raw = judge.get();
  return std::make_unique<InProcessRewardClient>(std::move(judge), raw, config.settings, threads);
}

std::unique_ptr<RewardClient> make_in_process_reward_client(judges::Judge* judge,
                                                            const RewardSettings& settings,
                                                            size_t threads) {
  return std::make_unique<InProcessRewardClient>(nullptr, judge, settings, threads);
}

}  // namespace codejudge::trainer
