// The training loop: SFT on reference solutions, GRPO with rewards from a RewardClient, or SFT
// then GRPO (the three DeepSeek-R1 recipes), with pass@k evaluation on held-out problems before
// and after. Every step is a pure function of (weights, optimizer state, seed, step): prompts and
// sampling are seeded from (seed, phase, step), so a run resumed from a checkpoint repeats the
// losses it would have had.
//
// What a run leaves in runs/NAME/: config.json, metrics.jsonl (one record per step and per
// evaluation), samples.jsonl (completions with verdicts), checkpoints/step-NNNNNN/ (model,
// optimizer, state) with checkpoints/latest naming the newest, and report.html.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "codejudge/problems/problem.h"
#include "codejudge/trainer/grpo.h"
#include "codejudge/trainer/model.h"
#include "codejudge/trainer/prompt.h"
#include "codejudge/trainer/report.h"
#include "codejudge/trainer/reward_client.h"
#include "codejudge/trainer/sampler.h"

namespace codejudge::trainer {

enum class TrainMode { kSft, kRl, kSftRl };
const char* train_mode_name(TrainMode mode);  // "sft", "rl", "sft+rl"
std::optional<TrainMode> parse_train_mode(std::string_view name);

enum class Phase { kSft, kRl, kDone };
const char* phase_name(Phase phase);  // "sft", "rl", "done"

struct OptimConfig {
  double lr = 1e-3;
  double min_lr_ratio = 0.1;  // cosine decays to lr * min_lr_ratio
  int64_t warmup_steps = 10;  // linear from lr / warmup_steps
  double weight_decay = 0.1;  // on matrices only (not norms)
  double beta1 = 0.9;
  double beta2 = 0.95;
  double eps = 1e-8;
  double grad_clip = 1.0;  // max global L2 norm; 0: off
};

struct SftConfig {
  int64_t steps = 200;
  int64_t batch = 32;  // examples per optimizer step
  OptimConfig optim;
};

struct RlConfig {
  int64_t steps = 100;
  int64_t prompts_per_step = 16;
  int64_t group_size = 8;         // G samples per prompt
  int64_t updates_per_batch = 1;  // passes over each batch (mu); old log-probs stored
  int64_t minibatches = 1;        // optimizer steps per pass
  AdvantageNorm advantage_norm = AdvantageNorm::kGroup;
  LossAggregation aggregation = LossAggregation::kDapo;
  PolicyLossOptions loss;
  bool dynamic_sampling = false;        // drop zero-variance groups and sample more prompts
  int64_t dynamic_sampling_rounds = 3;  // most generation rounds per step
  SamplingOptions sampling;
  OptimConfig optim{1e-4, 0.1, 5, 0.0, 0.9, 0.95, 1e-8, 1.0};
};

// Evaluation on the held-out problems: greedy pass@1 and, from `samples` completions per problem
// at `temperature`, the unbiased pass@k for each k in ks (sampled pass@1 is what RL moves first).
struct EvalConfig {
  size_t max_problems = 0;        // 0: all held-out problems
  bool greedy = true;             // greedy pass@1
  int64_t samples = 8;            // n per problem for the sampled pass@k; 0: greedy only
  double temperature = 1.0;       // of the sampled completions (> 0)
  std::vector<int64_t> ks = {1};  // pass@k for each k <= samples
  int64_t max_new_tokens = 256;
  int64_t batch_prompts = 32;  // prompts per generate() call
  bool before = true;
  bool after = true;
  int64_t every = 0;  // also every N global steps; 0: off
};

struct TrainConfig {
  std::string name = "run";
  std::string runs_dir = "runs";
  TrainMode mode = TrainMode::kSftRl;
  ModelConfig model;
  std::string device = "auto";
  bool autocast = true;  // bf16 autocast on CUDA; CPU is always fp32
  uint64_t seed = 1;
  int64_t micro_batch = 16;  // rows per forward/backward (gradient accumulation above it)
  PromptOptions prompt;
  // Share of the training problems kept for RL only: SFT never trains on them, so RL samples
  // prompts the policy has not memorised (groups with reward variance). 0: both use them all.
  double rl_split = 0.0;
  // A step or an evaluation whose share of null rewards (IE: our infrastructure failed, not the
  // model) exceeds this aborts the run with the judge's reasons. 1: never abort.
  double max_ie_fraction = 0.05;
  SftConfig sft;
  RlConfig rl;
  EvalConfig eval;
  std::string init_checkpoint;  // start from this checkpoint's weights (not its optimizer)
  bool resume = false;          // continue runs/NAME from checkpoints/latest
  int64_t save_every = 0;       // checkpoint every N global steps; 0: only at the end
  bool save_final = true;
  bool progress = true;        // progress bar on stderr
  size_t report_samples = 12;  // completions shown in report.html
  bool write_outputs = true;   // false: nothing on disk (tests)

  nlohmann::json to_json() const;
};

struct EvalResult {
  size_t problems = 0;
  std::optional<double> greedy_pass_at_1;  // when EvalConfig::greedy
  int64_t samples_per_problem = 0;         // of the sampled evaluation; 0: none
  double temperature = 0.0;
  std::map<int64_t, double> pass_at_k;  // sampled: k -> mean unbiased pass@k
  double format_rate = 0.0;             // mean format reward (sampled, else greedy)
  double ie_rate = 0.0;                 // share of all completions with a null reward
  std::vector<SampleRecord> samples;
  nlohmann::json to_json() const;
};

// Thrown by Trainer::step() and Trainer::evaluate() when the share of null rewards passes
// TrainConfig::max_ie_fraction; Trainer::run() turns it into an error and exit code 3.
class TrainingAborted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Unbiased pass@k from n samples with c correct: 1 - C(n-c, k) / C(n, k).
double pass_at_k(int64_t n, int64_t c, int64_t k);

class Trainer {
 public:
  // train: problems to learn from (SFT needs a python reference); eval: held-out problems.
  // rewards may be null for SFT-only runs without evaluation. Problems whose prompt leaves no
  // room in the context are dropped (counted in dropped_problems()).
  static std::unique_ptr<Trainer> create(const TrainConfig& config,
                                         std::vector<problems::Problem> train,
                                         std::vector<problems::Problem> eval, RewardClient* rewards,
                                         std::string* error);

  // One optimizer step of the current phase (SFT: one; RL: minibatches * updates_per_batch),
  // returning its metrics record; advances the phase when its steps are done. Throws
  // TrainingAborted when too many rewards were null (after recording the step's metrics).
  nlohmann::json step();
  Phase phase() const { return phase_; }
  int64_t phase_step() const { return phase_step_; }
  int64_t global_step() const { return global_step_; }

  EvalResult evaluate(const std::string& label);

  // The whole run: resume or init, evaluate before, steps, evaluate after, checkpoints, report.
  // Returns 0 on success, 3 when aborted for IE (TrainingAborted), else 2; errors go to *error.
  int run(std::string* error);

  bool save_checkpoint(const std::string& dir, std::string* error);
  bool load_checkpoint(const std::string& dir, std::string* error);  // model, optimizer, state
  bool load_weights(const std::string& dir, std::string* error);     // model only

  Transformer& model() { return model_; }
  const TrainConfig& config() const { return config_; }
  const std::vector<nlohmann::json>& metrics() const { return metrics_; }
  size_t dropped_problems() const { return dropped_; }
  const std::vector<problems::Problem>& sft_problems() const { return sft_pool_; }
  const std::vector<problems::Problem>& rl_problems() const { return train_; }
  std::string run_dir() const;

  // Sequences for the loss: rows of prompt + completion, as inputs [N, L] and targets [N, L]
  // (shifted by one, PAD after the end) with mask [N, L] = 1 on completion targets.
  struct Batch {
    torch::Tensor inputs;
    torch::Tensor targets;
    torch::Tensor mask;
    int64_t tokens = 0;       // non-pad input tokens
    int64_t mask_tokens = 0;  // completion targets of valid rows (the mask's sum)
  };
  Batch make_batch(const std::vector<std::vector<int64_t>>& prompts,
                   const std::vector<std::vector<int64_t>>& completions,
                   const std::vector<bool>& valid) const;

 private:
  Trainer(const TrainConfig& config, torch::Device device, RewardClient* rewards);
  nlohmann::json sft_step();
  nlohmann::json rl_step();
  void begin_phase(Phase phase);
  void make_optimizer(const OptimConfig& optim);
  struct RlStep;  // rl_step's parts: generate, score, advantages, update, metrics
  double lr_at(const OptimConfig& optim, int64_t step, int64_t total) const;
  double apply_lr(const OptimConfig& optim, int64_t total);
  // Token log-probs [N, L] of batch rows under `model` at the sampling temperature, without
  // gradients, in micro-batches.
  torch::Tensor log_probs_no_grad(Transformer& model, const Batch& batch);
  // Scores completions, asking the reward client once per distinct (problem, text).
  std::vector<RewardResult> score(const std::vector<RewardRequest>& requests);
  // The abort message when `null_rewards` of `total` passes max_ie_fraction, else "" (with a
  // warning on stderr when there were any).
  std::string check_ie(const std::string& where, size_t null_rewards, size_t total,
                       const std::string& first_reason) const;
  std::vector<size_t> draw_indices(size_t pool, int64_t count, uint64_t stream, int64_t step) const;
  void record(nlohmann::json metrics);
  void write_report() const;

  TrainConfig config_;
  torch::Device device_;
  bool autocast_ = false;
  RewardClient* rewards_;
  Transformer model_{nullptr};
  Transformer reference_{nullptr};  // frozen copy for the KL term (beta > 0)
  std::unique_ptr<torch::optim::AdamW> optimizer_;
  std::vector<problems::Problem> train_;  // the RL pool
  std::vector<problems::Problem> eval_;
  std::vector<problems::Problem> sft_pool_;  // train problems with a python reference
  std::vector<std::vector<int64_t>> train_prompts_;
  std::vector<std::vector<int64_t>> sft_prompts_;
  std::vector<std::vector<int64_t>> sft_targets_;
  std::vector<std::vector<int64_t>> eval_prompts_;
  Phase phase_ = Phase::kSft;
  int64_t phase_step_ = 0;
  int64_t global_step_ = 0;
  size_t dropped_ = 0;
  size_t judged_ = 0;  // distinct completions sent to the reward client
  std::vector<nlohmann::json> metrics_;
  std::vector<SampleRecord> shown_samples_;
  std::vector<nlohmann::json> evals_;
};

}  // namespace codejudge::trainer
