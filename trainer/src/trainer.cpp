#include "codejudge/trainer/trainer.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numbers>
#include <numeric>
#include <random>
#include <sstream>

#include "codejudge/trainer/optim.h"
#include "codejudge/trainer/tokenizer.h"

namespace codejudge::trainer {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// splitmix64 of a combination: independent streams from (seed, purpose, step).
uint64_t mix(uint64_t a, uint64_t b) {
  uint64_t z = a * 0x9e3779b97f4a7c15ull + b + 0x632be59bd9b4e019ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// A problem id as a number in [0, 1) (FNV-1a): the same on every platform and seed.
double unit_hash(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return static_cast<double>(mix(hash, 0) >> 11) / 9007199254740992.0;  // 53 bits / 2^53
}

SampleRecord sample_record(const RewardRequest& request, const RewardResult& result,
                           const std::string& phase, int64_t step) {
  SampleRecord rec;
  rec.problem_id = request.problem->id;
  rec.phase = phase;
  rec.step = step;
  rec.completion = request.completion;
  rec.reward = result.reward;
  rec.accuracy = result.accuracy;
  rec.format = result.format;
  rec.verdict = result.verdict;
  rec.reason = result.reason;
  return rec;
}

// Seeds the generators that sampling uses (CPU and, when present, CUDA).
void seed_torch(uint64_t seed) {
  torch::manual_seed(seed);
  if (torch::cuda::is_available()) torch::cuda::manual_seed_all(seed);
}

constexpr uint64_t kStreamSft = 1;
constexpr uint64_t kStreamRl = 2;
constexpr uint64_t kStreamEval = 3;
constexpr uint64_t kStreamShuffle = 4;
constexpr uint64_t kStreamInit = 5;

bool write_text(const fs::path& path, const std::string& text, std::string* error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    if (error) *error = "cannot write " + path.string();
    return false;
  }
  return true;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

double mean_of(const std::vector<double>& values) {
  if (values.empty()) return 0.0;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double std_of(const std::vector<double>& values) {
  if (values.size() < 2) return 0.0;
  double m = mean_of(values);
  double sq = 0.0;
  for (double v : values) sq += (v - m) * (v - m);
  return std::sqrt(sq / static_cast<double>(values.size() - 1));
}

}  // namespace

const char* train_mode_name(TrainMode mode) {
  switch (mode) {
    case TrainMode::kSft:
      return "sft";
    case TrainMode::kRl:
      return "rl";
    case TrainMode::kSftRl:
      return "sft+rl";
  }
  return "sft+rl";
}

std::optional<TrainMode> parse_train_mode(std::string_view name) {
  if (name == "sft") return TrainMode::kSft;
  if (name == "rl") return TrainMode::kRl;
  if (name == "sft+rl" || name == "sft-rl") return TrainMode::kSftRl;
  return std::nullopt;
}

const char* phase_name(Phase phase) {
  switch (phase) {
    case Phase::kSft:
      return "sft";
    case Phase::kRl:
      return "rl";
    case Phase::kDone:
      return "done";
  }
  return "done";
}

namespace {

json optim_json(const OptimConfig& o) {
  return {{"lr", o.lr},
          {"min_lr_ratio", o.min_lr_ratio},
          {"warmup_steps", o.warmup_steps},
          {"weight_decay", o.weight_decay},
          {"beta1", o.beta1},
          {"beta2", o.beta2},
          {"eps", o.eps},
          {"grad_clip", o.grad_clip}};
}

}  // namespace

json TrainConfig::to_json() const {
  const auto& s = rl.sampling;
  return {{"name", name},
          {"mode", train_mode_name(mode)},
          {"model", model.to_json()},
          {"device", device},
          {"autocast", autocast},
          {"seed", seed},
          {"micro_batch", micro_batch},
          {"prompt", {{"max_examples", prompt.max_examples}}},
          {"sft", {{"steps", sft.steps}, {"batch", sft.batch}, {"optim", optim_json(sft.optim)}}},
          {"rl",
           {{"steps", rl.steps},
            {"prompts_per_step", rl.prompts_per_step},
            {"group_size", rl.group_size},
            {"updates_per_batch", rl.updates_per_batch},
            {"minibatches", rl.minibatches},
            {"advantage_norm", advantage_norm_name(rl.advantage_norm)},
            {"aggregation", loss_aggregation_name(rl.aggregation)},
            {"eps_low", rl.loss.eps_low},
            {"eps_high", rl.loss.eps_high},
            {"clip_c", rl.loss.clip_c},
            {"beta", rl.loss.beta},
            {"dynamic_sampling", rl.dynamic_sampling},
            {"dynamic_sampling_rounds", rl.dynamic_sampling_rounds},
            {"temperature", s.temperature},
            {"top_k", s.top_k},
            {"top_p", s.top_p},
            {"max_new_tokens", s.max_new_tokens},
            {"optim", optim_json(rl.optim)}}},
          {"eval",
           {{"max_problems", eval.max_problems},
            {"greedy", eval.greedy},
            {"samples", eval.samples},
            {"temperature", eval.temperature},
            {"ks", eval.ks},
            {"max_new_tokens", eval.max_new_tokens}}},
          {"rl_split", rl_split},
          {"max_ie_fraction", max_ie_fraction},
          {"init_checkpoint", init_checkpoint},
          {"save_every", save_every}};
}

json EvalResult::to_json() const {
  json pass = json::object();
  for (const auto& [k, v] : pass_at_k) pass["pass@" + std::to_string(k)] = v;
  return {{"problems", problems},
          {"greedy_pass_at_1", greedy_pass_at_1 ? json(*greedy_pass_at_1) : json()},
          {"samples_per_problem", samples_per_problem},
          {"temperature", temperature},
          {"pass_at_k", pass},
          {"format_rate", format_rate},
          {"ie_rate", ie_rate}};
}

double pass_at_k(int64_t n, int64_t c, int64_t k) {
  if (n - c < k) return 1.0;
  // 1 - prod_{i = n-c+1}^{n} (1 - k / i): stable for any n.
  double keep = 1.0;
  for (int64_t i = n - c + 1; i <= n; ++i)
    keep *= 1.0 - static_cast<double>(k) / static_cast<double>(i);
  return 1.0 - keep;
}

Trainer::Trainer(const TrainConfig& config, torch::Device device, RewardClient* rewards)
    : config_(config), device_(device), rewards_(rewards) {}

std::unique_ptr<Trainer> Trainer::create(const TrainConfig& config,
                                         std::vector<problems::Problem> train,
                                         std::vector<problems::Problem> eval, RewardClient* rewards,
                                         std::string* error) {
  std::string ignored;
  if (error == nullptr) error = &ignored;
  std::string invalid = config.model.validate();
  if (!invalid.empty()) {
    *error = "model: " + invalid;
    return nullptr;
  }
  if (config.model.vocab_size < Tokenizer::kVocabSize) {
    *error = "model: vocab_size must be at least " + std::to_string(Tokenizer::kVocabSize);
    return nullptr;
  }
  auto device = parse_device(config.device, error);
  if (!device) return nullptr;
  bool needs_rl = config.mode != TrainMode::kSft;
  if ((needs_rl || config.eval.before || config.eval.after || config.eval.every > 0) &&
      rewards == nullptr) {
    *error = "RL and evaluation need a reward client";
    return nullptr;
  }
  if (!(config.rl_split >= 0.0 && config.rl_split < 1.0)) {
    *error = "rl_split must be in [0, 1)";
    return nullptr;
  }
  if (!(config.max_ie_fraction >= 0.0 && config.max_ie_fraction <= 1.0)) {
    *error = "max_ie_fraction must be in [0, 1]";
    return nullptr;
  }
  if (config.rl.loss.clip_c != 0.0 && !(config.rl.loss.clip_c > 1.0)) {
    *error = "the dual-clip bound clip_c must be 0 (off) or above 1";
    return nullptr;
  }
  if (config.eval.samples > 0 && !(config.eval.temperature > 0.0)) {
    *error = "sampled evaluation needs a temperature above 0 (greedy pass@1 is always reported)";
    return nullptr;
  }
  if (config.rl.group_size < 1 || config.rl.prompts_per_step < 1 || config.sft.batch < 1 ||
      config.micro_batch < 1 || config.rl.updates_per_batch < 1 || config.rl.minibatches < 1) {
    *error = "batch sizes, group size, updates and minibatches must be at least 1";
    return nullptr;
  }
  std::unique_ptr<Trainer> t(new Trainer(config, *device, rewards));
  t->autocast_ = config.autocast && device->is_cuda();
  seed_torch(mix(config.seed, kStreamInit));
  t->model_ = Transformer(config.model);
  t->model_->to(*device);

  // Room for at least a short completion after each prompt.
  int64_t max_prompt = config.model.context - 16;
  for (auto& problem : train) {
    std::vector<int64_t> prompt = prompt_tokens(problem, config.prompt);
    if (static_cast<int64_t>(prompt.size()) > max_prompt) {
      ++t->dropped_;
      continue;
    }
    // The RL-only share is fixed by the problem's id, so every recipe and seed splits alike.
    bool rl_only = config.rl_split > 0.0 && unit_hash(problem.id) < config.rl_split;
    std::vector<int64_t> target = target_tokens(problem);
    if (!rl_only && !target.empty()) {
      t->sft_prompts_.push_back(prompt);
      t->sft_targets_.push_back(std::move(target));
      t->sft_pool_.push_back(problem);
    }
    if (rl_only || config.rl_split <= 0.0) {
      t->train_prompts_.push_back(std::move(prompt));
      t->train_.push_back(std::move(problem));
    }
  }
  for (auto& problem : eval) {
    std::vector<int64_t> prompt = prompt_tokens(problem, config.prompt);
    if (static_cast<int64_t>(prompt.size()) > max_prompt) {
      ++t->dropped_;
      continue;
    }
    t->eval_prompts_.push_back(std::move(prompt));
    t->eval_.push_back(std::move(problem));
  }
  bool needs_sft = config.mode != TrainMode::kRl && config.sft.steps > 0;
  if (needs_sft && t->sft_pool_.empty()) {
    *error = "SFT needs training problems with a python reference that fit the context";
    return nullptr;
  }
  if (needs_rl && config.rl.steps > 0 && t->train_.empty()) {
    *error = config.rl_split > 0.0
                 ? "RL needs training problems that fit the context in its rl_split share"
                 : "RL needs training problems that fit the context";
    return nullptr;
  }
  t->begin_phase(needs_sft ? Phase::kSft
                           : (needs_rl && config.rl.steps > 0 ? Phase::kRl : Phase::kDone));
  return t;
}

std::string Trainer::run_dir() const {
  return (fs::path(config_.runs_dir) / config_.name).string();
}

void Trainer::begin_phase(Phase phase) {
  phase_ = phase;
  phase_step_ = 0;
  optimizer_.reset();
  reference_ = nullptr;
  if (phase == Phase::kSft) make_optimizer(config_.sft.optim);
  if (phase == Phase::kRl) {
    make_optimizer(config_.rl.optim);
    if (config_.rl.loss.beta != 0.0) {
      // The reference is the policy as RL starts: a frozen copy.
      reference_ = Transformer(config_.model);
      reference_->to(device_);
      torch::NoGradGuard no_grad;
      auto src = model_->named_parameters();
      for (auto& item : reference_->named_parameters()) {
        item.value().copy_(src[item.key()]);
        item.value().set_requires_grad(false);
      }
      reference_->eval();
    }
  }
}

void Trainer::make_optimizer(const OptimConfig& optim) {
  std::vector<torch::Tensor> decay, no_decay;
  for (const auto& p : model_->parameters()) (p.dim() >= 2 ? decay : no_decay).push_back(p);
  auto options = torch::optim::AdamWOptions(optim.lr)
                     .betas(std::make_tuple(optim.beta1, optim.beta2))
                     .eps(optim.eps)
                     .weight_decay(optim.weight_decay);
  auto no_decay_options = options;
  no_decay_options.weight_decay(0.0);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(options));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(no_decay_options));
  optimizer_ = std::make_unique<torch::optim::AdamW>(groups, options);
}

double Trainer::lr_at(const OptimConfig& optim, int64_t step, int64_t total) const {
  if (optim.warmup_steps > 0 && step < optim.warmup_steps) {
    return optim.lr * static_cast<double>(step + 1) / static_cast<double>(optim.warmup_steps);
  }
  int64_t span = std::max<int64_t>(1, total - optim.warmup_steps);
  double progress = std::clamp(static_cast<double>(step - optim.warmup_steps) / span, 0.0, 1.0);
  double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
  return optim.lr * (optim.min_lr_ratio + (1.0 - optim.min_lr_ratio) * cosine);
}

double Trainer::apply_lr(const OptimConfig& optim, int64_t total) {
  double lr = lr_at(optim, phase_step_, total);
  for (auto& group : optimizer_->param_groups()) {
    static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
  }
  return lr;
}

std::vector<size_t> Trainer::draw_indices(size_t pool, int64_t count, uint64_t stream,
                                          int64_t step) const {
  // Position p of an endless sequence of epochs, each a fresh permutation of the pool.
  std::vector<size_t> out;
  int64_t start = step * count;
  int64_t cached_epoch = -1;
  std::vector<size_t> perm(pool);
  for (int64_t i = 0; i < count; ++i) {
    int64_t pos = start + i;
    int64_t epoch = pos / static_cast<int64_t>(pool);
    if (epoch != cached_epoch) {
      std::iota(perm.begin(), perm.end(), size_t{0});
      std::mt19937_64 rng(mix(mix(config_.seed, stream), static_cast<uint64_t>(epoch)));
      std::shuffle(perm.begin(), perm.end(), rng);
      cached_epoch = epoch;
    }
    out.push_back(perm[static_cast<size_t>(pos % static_cast<int64_t>(pool))]);
  }
  return out;
}

Trainer::Batch Trainer::make_batch(const std::vector<std::vector<int64_t>>& prompts,
                                   const std::vector<std::vector<int64_t>>& completions,
                                   const std::vector<bool>& valid) const {
  size_t n = prompts.size();
  int64_t limit = config_.model.context;
  std::vector<std::vector<int64_t>> seqs(n);
  int64_t width = 1;
  for (size_t i = 0; i < n; ++i) {
    seqs[i] = prompts[i];
    seqs[i].insert(seqs[i].end(), completions[i].begin(), completions[i].end());
    if (static_cast<int64_t>(seqs[i].size()) > limit + 1)
      seqs[i].resize(static_cast<size_t>(limit + 1));
    width = std::max<int64_t>(width, static_cast<int64_t>(seqs[i].size()) - 1);
  }
  Batch b;
  b.inputs = torch::full({static_cast<int64_t>(n), width}, Tokenizer::kPad, torch::kLong);
  b.targets = torch::full({static_cast<int64_t>(n), width}, Tokenizer::kPad, torch::kLong);
  b.mask = torch::zeros({static_cast<int64_t>(n), width}, torch::kFloat);
  auto in = b.inputs.accessor<int64_t, 2>();
  auto out = b.targets.accessor<int64_t, 2>();
  auto m = b.mask.accessor<float, 2>();
  for (size_t i = 0; i < n; ++i) {
    const auto& seq = seqs[i];
    int64_t len = static_cast<int64_t>(seq.size()) - 1;  // predictions in this row
    int64_t first =
        static_cast<int64_t>(prompts[i].size()) - 1;  // predicts the 1st completion token
    for (int64_t j = 0; j < len; ++j) {
      in[static_cast<int64_t>(i)][j] = seq[static_cast<size_t>(j)];
      out[static_cast<int64_t>(i)][j] = seq[static_cast<size_t>(j + 1)];
      if (j >= first && valid[i]) {
        m[static_cast<int64_t>(i)][j] = 1.0f;
        ++b.mask_tokens;
      }
    }
    b.tokens += std::max<int64_t>(len, 0);
  }
  b.inputs = b.inputs.to(device_);
  b.targets = b.targets.to(device_);
  b.mask = b.mask.to(device_);
  return b;
}

torch::Tensor Trainer::log_probs_no_grad(Transformer& model, const Batch& batch) {
  torch::NoGradGuard no_grad;
  AutocastGuard autocast(autocast_);  // one cast of the weights for all micro-batches
  std::vector<torch::Tensor> parts;
  int64_t n = batch.inputs.size(0);
  for (int64_t start = 0; start < n; start += config_.micro_batch) {
    int64_t len = std::min(config_.micro_batch, n - start);
    torch::Tensor logits = model->forward(batch.inputs.narrow(0, start, len));  // [n, L, V]
    parts.push_back(token_log_probs(logits, batch.targets.narrow(0, start, len),
                                    config_.rl.sampling.temperature));
  }
  return torch::cat(parts, 0);  // [N, L]
}

std::vector<RewardResult> Trainer::score(const std::vector<RewardRequest>& requests) {
  // A sharpened policy repeats itself: judge each distinct completion of a problem once.
  std::map<std::pair<const problems::Problem*, std::string>, size_t> index;
  std::vector<RewardRequest> unique;
  std::vector<size_t> which(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    auto [it, inserted] =
        index.try_emplace({requests[i].problem, requests[i].completion}, unique.size());
    if (inserted) unique.push_back(requests[i]);
    which[i] = it->second;
  }
  std::vector<RewardResult> scored = rewards_->score(unique);
  if (scored.size() != unique.size()) {
    RewardResult missing;
    missing.reason = "the reward client answered " + std::to_string(scored.size()) + " of " +
                     std::to_string(unique.size()) + " requests";
    scored.assign(unique.size(), missing);
  }
  judged_ += unique.size();
  std::vector<RewardResult> out;
  out.reserve(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) out.push_back(scored[which[i]]);
  return out;
}

std::string Trainer::check_ie(const std::string& where, size_t null_rewards, size_t total,
                              const std::string& first_reason) const {
  if (null_rewards == 0 || total == 0) return "";
  double fraction = static_cast<double>(null_rewards) / static_cast<double>(total);
  std::ostringstream text;
  text << where << ": " << null_rewards << " of " << total
       << " rewards were null (an internal error of the judge or the reward servers, "
       << static_cast<int>(std::lround(fraction * 1000.0)) / 10.0
       << "%); first reason: " << (first_reason.empty() ? "none given" : first_reason);
  if (fraction <= config_.max_ie_fraction) {
    std::cerr << "warning: " << text.str() << " (masked; --max-ie-frac " << config_.max_ie_fraction
              << ")\n";
    return "";
  }
  text << ". Aborted: more than --max-ie-frac " << config_.max_ie_fraction
       << " of the rewards failed, so the run would learn from our failures. Check the host "
          "with `codejudge doctor` (root, cgroup v2, toolchains) or the reward servers' logs.";
  return text.str();
}

json Trainer::step() {
  json metrics;
  if (phase_ == Phase::kSft)
    metrics = sft_step();
  else if (phase_ == Phase::kRl)
    metrics = rl_step();
  else
    return json();
  ++phase_step_;
  ++global_step_;
  metrics["step"] = global_step_;
  std::string abort = metrics.value("ie_abort", "");
  record(metrics);
  if (!abort.empty()) throw TrainingAborted(abort);
  if (phase_ == Phase::kSft && phase_step_ >= config_.sft.steps) {
    bool rl_next = config_.mode == TrainMode::kSftRl && config_.rl.steps > 0;
    begin_phase(rl_next ? Phase::kRl : Phase::kDone);
  } else if (phase_ == Phase::kRl && phase_step_ >= config_.rl.steps) {
    begin_phase(Phase::kDone);
  }
  return metrics;
}

json Trainer::sft_step() {
  auto start = Clock::now();
  model_->train();
  double lr = apply_lr(config_.sft.optim, config_.sft.steps);
  std::vector<size_t> picks =
      draw_indices(sft_pool_.size(), config_.sft.batch, kStreamSft, phase_step_);
  std::vector<std::vector<int64_t>> prompts, targets;
  for (size_t i : picks) {
    prompts.push_back(sft_prompts_[i]);
    targets.push_back(sft_targets_[i]);
  }
  Batch batch = make_batch(prompts, targets, std::vector<bool>(picks.size(), true));
  auto target_tokens = static_cast<double>(batch.mask_tokens);
  optimizer_->zero_grad();
  torch::Tensor loss_sum = torch::zeros({}, torch::TensorOptions(torch::kFloat).device(device_));
  torch::Tensor grad_norm;
  {
    AutocastGuard autocast(autocast_);  // the weights are cast once for the whole step
    int64_t n = batch.inputs.size(0);
    for (int64_t s = 0; s < n; s += config_.micro_batch) {
      int64_t len = std::min(config_.micro_batch, n - s);
      torch::Tensor logits = model_->forward(batch.inputs.narrow(0, s, len));         // [len, L, V]
      torch::Tensor logp = token_log_probs(logits, batch.targets.narrow(0, s, len));  // [len, L]
      // Token-level mean over the whole batch: each micro-batch adds its share.
      torch::Tensor loss =
          -(logp * batch.mask.narrow(0, s, len)).sum() / std::max(target_tokens, 1.0);
      {
        AutocastGuard backward_in_fp32(false);
        loss.backward();
      }
      loss_sum += loss.detach();
    }
    grad_norm = clip_grad_norm(model_->parameters(), config_.sft.optim.grad_clip);
  }
  adamw_step(*optimizer_);
  // The step's only host sync: its two numbers.
  torch::Tensor stats = torch::stack({loss_sum, grad_norm.to(torch::kFloat)}).to(torch::kCPU);
  double elapsed = seconds_since(start);
  return {{"phase", "sft"},
          {"phase_step", phase_step_ + 1},
          {"lr", lr},
          {"loss", stats[0].item<double>()},
          {"grad_norm", stats[1].item<double>()},
          {"target_tokens", target_tokens},
          {"tokens", batch.tokens},
          {"time_update_s", elapsed},
          {"tokens_per_s", static_cast<double>(batch.tokens) / std::max(elapsed, 1e-9)}};
}

// The parts of one RL step, each with its inputs and outputs; rl_step runs them in order.
struct Trainer::RlStep {
  // What the sampling rounds of a step kept (groups, their rows and rewards) and saw.
  struct Samples {
    std::vector<size_t> group_problem;              // per kept group: index into train_
    std::vector<std::vector<int64_t>> completions;  // per kept row
    std::vector<RewardResult> results;              // per kept row
    size_t groups_seen = 0, zero_var_seen = 0, rows_seen = 0, ie_seen = 0, truncated = 0;
    int64_t rounds_run = 0;
    std::string first_ie_reason;
    std::vector<double> all_rewards, all_accuracy, all_format, all_lengths;
    std::vector<SampleRecord> step_samples;
    double time_gen = 0.0, time_reward = 0.0;
    int64_t generated_tokens = 0;
  };
  // One round: the problems drawn and group_size completions of each.
  struct Round {
    int64_t index = 0;
    std::vector<size_t> picks;
    Generation gen;
  };
  // The policy update's sums per optimizer step, on the device: [loss, clip, dual clip, kl,
  // entropy, tokens, grad norm], copied to the host once at the end of the step.
  struct Update {
    std::vector<torch::Tensor> stats;
    int64_t train_tokens = 0;
  };

  // Generate and score, in rounds while dynamic sampling keeps asking for groups with signal.
  static Samples sample(Trainer& t) {
    const RlConfig& rl = t.config_.rl;
    Samples samples;
    int64_t rounds = rl.dynamic_sampling ? std::max<int64_t>(1, rl.dynamic_sampling_rounds) : 1;
    for (int64_t round = 0; round < rounds; ++round) {
      if (static_cast<int64_t>(samples.group_problem.size()) >= rl.prompts_per_step) break;
      ++samples.rounds_run;
      Round drawn = generate(t, round, &samples);
      std::vector<RewardRequest> requests;
      std::vector<RewardResult> scored = score(t, drawn, &requests, &samples);
      keep(t, drawn, requests, scored, &samples);
    }
    return samples;
  }

  // Generate: draws the round's problems and samples group_size completions of each.
  static Round generate(Trainer& t, int64_t round, Samples* samples) {
    const RlConfig& rl = t.config_.rl;
    Round drawn;
    drawn.index = round;
    drawn.picks = t.draw_indices(t.train_.size(), rl.prompts_per_step,
                                 mix(kStreamRl, static_cast<uint64_t>(round)), t.phase_step_);
    std::vector<std::vector<int64_t>> prompts;
    for (size_t i : drawn.picks) prompts.push_back(t.train_prompts_[i]);
    seed_torch(mix(mix(t.config_.seed, kStreamRl),
                   mix(static_cast<uint64_t>(t.phase_step_), static_cast<uint64_t>(round))));
    auto t0 = Clock::now();
    t.model_->eval();
    drawn.gen =
        codejudge::trainer::generate(t.model_, prompts, rl.group_size, rl.sampling, t.autocast_);
    samples->time_gen += seconds_since(t0);  // generate() ends by copying the tokens to the host
    samples->generated_tokens += drawn.gen.generated_tokens;
    return drawn;
  }

  // Score: each completion's reward from the reward client; *requests gets what was asked.
  static std::vector<RewardResult> score(Trainer& t, const Round& drawn,
                                         std::vector<RewardRequest>* requests, Samples* samples) {
    const auto g = static_cast<size_t>(t.config_.rl.group_size);
    auto t1 = Clock::now();
    for (size_t r = 0; r < drawn.gen.completions.size(); ++r) {
      requests->push_back(
          {&t.train_[drawn.picks[r / g]], Tokenizer::decode(drawn.gen.completions[r]), "python"});
    }
    std::vector<RewardResult> scored = t.score(*requests);
    samples->time_reward += seconds_since(t1);
    return scored;
  }

  // Counts a round's rewards and keeps its groups: with dynamic sampling only those whose
  // rewards differ, up to prompts_per_step groups in all.
  static void keep(Trainer& t, const Round& drawn, const std::vector<RewardRequest>& requests,
                   const std::vector<RewardResult>& scored, Samples* samples) {
    const RlConfig& rl = t.config_.rl;
    const int64_t g = rl.group_size;
    std::vector<float> r_values;
    std::vector<uint8_t> r_valid;
    for (size_t r = 0; r < scored.size(); ++r) {
      const RewardResult& res = scored[r];
      r_values.push_back(static_cast<float>(res.reward.value_or(0.0)));
      r_valid.push_back(res.reward.has_value());
      ++samples->rows_seen;
      if (!res.reward) {
        ++samples->ie_seen;
        if (samples->first_ie_reason.empty()) samples->first_ie_reason = res.reason;
      } else {
        samples->all_rewards.push_back(*res.reward);
        samples->all_accuracy.push_back(res.accuracy);
        samples->all_format.push_back(res.format);
      }
      samples->all_lengths.push_back(static_cast<double>(drawn.gen.completions[r].size()));
      samples->truncated += drawn.gen.finished[r] ? 0 : 1;
      if (drawn.index == 0 && samples->step_samples.size() < 4 && r % static_cast<size_t>(g) == 0) {
        samples->step_samples.push_back(sample_record(requests[r], res, "rl", t.global_step_ + 1));
      }
    }
    torch::Tensor rewards_t = torch::tensor(r_values);
    torch::Tensor valid_t =
        torch::tensor(std::vector<int64_t>(r_valid.begin(), r_valid.end())).to(torch::kBool);
    torch::Tensor zero_var = zero_variance_groups(rewards_t, valid_t, g);
    auto zv = zero_var.accessor<bool, 1>();
    for (size_t p = 0; p < drawn.picks.size(); ++p) {
      ++samples->groups_seen;
      samples->zero_var_seen += zv[static_cast<int64_t>(p)];
      bool kept = !rl.dynamic_sampling || !zv[static_cast<int64_t>(p)];
      if (!kept || static_cast<int64_t>(samples->group_problem.size()) >= rl.prompts_per_step) {
        continue;
      }
      samples->group_problem.push_back(drawn.picks[p]);
      for (int64_t j = 0; j < g; ++j) {
        size_t r = p * static_cast<size_t>(g) + static_cast<size_t>(j);
        samples->completions.push_back(drawn.gen.completions[r]);
        samples->results.push_back(scored[r]);
      }
    }
  }

  // Keeps the step's sample records: appended to samples.jsonl, and the last few for the report.
  static void record_samples(Trainer& t, const std::vector<SampleRecord>& step_samples) {
    if (t.config_.write_outputs) {
      std::ofstream out(fs::path(t.run_dir()) / "samples.jsonl", std::ios::app);
      for (const SampleRecord& s : step_samples) {
        out << s.to_json().dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
      }
    }
    t.shown_samples_.insert(t.shown_samples_.end(), step_samples.begin(), step_samples.end());
    if (t.shown_samples_.size() > 4 * t.config_.report_samples) {
      t.shown_samples_.erase(
          t.shown_samples_.begin(),
          t.shown_samples_.end() - static_cast<long>(4 * t.config_.report_samples));
    }
  }

  // Metrics of the sampling rounds.
  static json sampling_metrics(const Trainer& t, const Samples& s, size_t judged_before) {
    return {
        {"phase", "rl"},
        {"phase_step", t.phase_step_ + 1},
        {"reward_mean", mean_of(s.all_rewards)},
        {"reward_std", std_of(s.all_rewards)},
        {"accuracy", mean_of(s.all_accuracy)},
        {"pass_rate",
         s.all_accuracy.empty()
             ? 0.0
             : static_cast<double>(std::count(s.all_accuracy.begin(), s.all_accuracy.end(), 1.0)) /
                   static_cast<double>(s.all_accuracy.size())},
        {"format_rate", mean_of(s.all_format)},
        {"completion_len", mean_of(s.all_lengths)},
        {"truncated_frac",
         s.rows_seen ? static_cast<double>(s.truncated) / static_cast<double>(s.rows_seen) : 0.0},
        {"zero_var_frac",
         s.groups_seen ? static_cast<double>(s.zero_var_seen) / static_cast<double>(s.groups_seen)
                       : 0.0},
        {"ie_frac",
         s.rows_seen ? static_cast<double>(s.ie_seen) / static_cast<double>(s.rows_seen) : 0.0},
        {"groups_used", s.group_problem.size()},
        {"rounds", s.rounds_run},
        {"judged", t.judged_ - judged_before},
        {"time_gen_s", s.time_gen},
        {"time_reward_s", s.time_reward},
        {"gen_tokens_per_s", static_cast<double>(s.generated_tokens) / std::max(s.time_gen, 1e-9)}};
  }

  // Advantages: each kept row's, normalized within its group (rows with a null reward count as
  // invalid), and the rows as a batch for the loss.
  static torch::Tensor advantages(Trainer& t, const Samples& samples, Batch* batch) {
    const RlConfig& rl = t.config_.rl;
    const int64_t g = rl.group_size;
    const auto rows = static_cast<int64_t>(samples.completions.size());
    std::vector<float> r_values;
    std::vector<int64_t> r_valid;
    std::vector<std::vector<int64_t>> prompts;
    std::vector<bool> valid;
    for (int64_t r = 0; r < rows; ++r) {
      const RewardResult& res = samples.results[static_cast<size_t>(r)];
      r_values.push_back(static_cast<float>(res.reward.value_or(0.0)));
      r_valid.push_back(res.reward.has_value());
      valid.push_back(res.reward.has_value());
      prompts.push_back(t.train_prompts_[samples.group_problem[static_cast<size_t>(r / g)]]);
    }
    torch::Tensor result =
        compute_advantages(torch::tensor(r_values), torch::tensor(r_valid).to(torch::kBool), g,
                           rl.advantage_norm)
            .to(t.device_);  // [N]
    *batch = t.make_batch(prompts, samples.completions, valid);
    return result;
  }

  // Update: updates_per_batch passes over the rows in minibatches, one optimizer step each.
  static Update update(Trainer& t, const Batch& batch, const torch::Tensor& advantages) {
    const RlConfig& rl = t.config_.rl;
    const int64_t rows = batch.inputs.size(0);
    const double temperature = rl.sampling.temperature > 0.0 ? rl.sampling.temperature : 1.0;
    Update result;
    bool several_updates = rl.updates_per_batch * rl.minibatches > 1;
    torch::Tensor old_logp =
        several_updates ? t.log_probs_no_grad(t.model_, batch) : torch::Tensor();
    torch::Tensor ref_logp =
        t.reference_ ? t.log_probs_no_grad(t.reference_, batch) : torch::Tensor();
    t.model_->train();
    int64_t per_minibatch = (rows + rl.minibatches - 1) / rl.minibatches;
    for (int64_t epoch = 0; epoch < rl.updates_per_batch; ++epoch) {
      // Rows in a fresh order each pass (identity on the first, so one pass is plain order).
      std::vector<int64_t> order(static_cast<size_t>(rows));
      std::iota(order.begin(), order.end(), int64_t{0});
      if (epoch > 0) {
        std::mt19937_64 rng(
            mix(mix(t.config_.seed, kStreamShuffle),
                mix(static_cast<uint64_t>(t.phase_step_), static_cast<uint64_t>(epoch))));
        std::shuffle(order.begin(), order.end(), rng);
      }
      for (int64_t mb = 0; mb < rows; mb += per_minibatch) {
        int64_t mb_rows = std::min(per_minibatch, rows - mb);
        torch::Tensor idx =
            torch::tensor(std::vector<int64_t>(order.begin() + mb, order.begin() + mb + mb_rows))
                .to(t.device_);
        torch::Tensor inputs = batch.inputs.index_select(0, idx);    // [M, L]
        torch::Tensor targets = batch.targets.index_select(0, idx);  // [M, L]
        torch::Tensor mask = batch.mask.index_select(0, idx);        // [M, L]
        torch::Tensor adv = advantages.index_select(0, idx);         // [M]
        torch::Tensor weights = token_weights(mask, rl.aggregation, rl.sampling.max_new_tokens);
        t.optimizer_->zero_grad();
        std::vector<torch::Tensor> sums;  // [loss, clip, dual, kl, entropy, tokens] per micro
        torch::Tensor grad_norm;
        {
          AutocastGuard autocast(t.autocast_);  // the weights are cast once per optimizer step
          for (int64_t s = 0; s < mb_rows; s += t.config_.micro_batch) {
            int64_t len = std::min(t.config_.micro_batch, mb_rows - s);
            torch::Tensor logits = t.model_->forward(inputs.narrow(0, s, len));  // [len, L, V]
            torch::Tensor m = mask.narrow(0, s, len);
            torch::Tensor logp =
                token_log_probs(logits, targets.narrow(0, s, len), temperature);  // [len, L]
            torch::Tensor sub_idx = idx.narrow(0, s, len);
            torch::Tensor old = several_updates ? old_logp.index_select(0, sub_idx) : logp.detach();
            torch::Tensor ref =
                ref_logp.defined() ? ref_logp.index_select(0, sub_idx) : torch::Tensor();
            PolicyLoss pl = policy_loss(logp, old, ref, adv.narrow(0, s, len), m,
                                        weights.narrow(0, s, len), rl.loss);
            {
              AutocastGuard backward_in_fp32(false);
              pl.loss.backward();
            }
            torch::NoGradGuard no_grad;
            torch::Tensor entropy = (token_entropy(logits.detach(), temperature) * m).sum();
            sums.push_back(torch::stack({pl.loss.detach(), pl.clip_fraction * pl.tokens,
                                         pl.dual_clip_fraction * pl.tokens, pl.kl_mean * pl.tokens,
                                         entropy, pl.tokens}));
            result.train_tokens += len * inputs.size(1);
          }
          grad_norm = clip_grad_norm(t.model_->parameters(), rl.optim.grad_clip);
        }
        adamw_step(*t.optimizer_);
        result.stats.push_back(torch::cat({torch::stack(sums).sum(0), grad_norm.view({1})}));
      }
    }
    return result;
  }

  // Metrics of the update: means per optimizer step (loss, grad norm) or per token.
  static void add_update_metrics(const Trainer& t, const Update& update, json* metrics) {
    json loss = json(), clip = 0.0, dual = 0.0, kl = json(), entropy = 0.0, grad_norm = 0.0;
    if (!update.stats.empty()) {
      torch::Tensor all = torch::stack(update.stats).to(torch::kCPU).to(torch::kDouble);  // [S, 7]
      auto a = all.accessor<double, 2>();
      double loss_sum = 0, clip_sum = 0, dual_sum = 0, kl_sum = 0, ent_sum = 0, tokens = 0,
             norm_sum = 0;
      for (int64_t i = 0; i < all.size(0); ++i) {
        loss_sum += a[i][0];
        clip_sum += a[i][1];
        dual_sum += a[i][2];
        kl_sum += a[i][3];
        ent_sum += a[i][4];
        tokens += a[i][5];
        norm_sum += a[i][6];
      }
      auto steps = static_cast<double>(all.size(0));
      tokens = std::max(tokens, 1.0);
      loss = loss_sum / steps;
      clip = clip_sum / tokens;
      dual = dual_sum / tokens;
      if (t.reference_) kl = kl_sum / tokens;
      entropy = ent_sum / tokens;
      grad_norm = norm_sum / steps;
    }
    (*metrics)["loss"] = loss;
    (*metrics)["clip_frac"] = clip;
    (*metrics)["dual_clip_frac"] = dual;
    (*metrics)["kl"] = kl;
    (*metrics)["entropy"] = entropy;
    (*metrics)["grad_norm"] = grad_norm;
  }
};

json Trainer::rl_step() {
  auto step_start = Clock::now();
  size_t judged_before = judged_;
  RlStep::Samples samples = RlStep::sample(*this);
  RlStep::record_samples(*this, samples.step_samples);
  json metrics = RlStep::sampling_metrics(*this, samples, judged_before);
  double lr = apply_lr(config_.rl.optim, config_.rl.steps);
  metrics["lr"] = lr;
  std::string abort = check_ie("RL step " + std::to_string(global_step_ + 1), samples.ie_seen,
                               samples.rows_seen, samples.first_ie_reason);
  if (!abort.empty()) {
    metrics["ie_abort"] = abort;
    return metrics;  // no update from a batch our own failures shaped
  }

  auto t2 = Clock::now();
  RlStep::Update update;
  if (!samples.completions.empty()) {
    Batch batch;
    torch::Tensor advantages = RlStep::advantages(*this, samples, &batch);
    update = RlStep::update(*this, batch, advantages);
  }
  RlStep::add_update_metrics(*this, update, &metrics);
  double time_update = seconds_since(t2);
  double total = seconds_since(step_start);
  metrics["time_update_s"] = time_update;
  metrics["time_step_s"] = total;
  metrics["train_tokens_per_s"] =
      static_cast<double>(update.train_tokens) / std::max(time_update, 1e-9);
  metrics["tokens_per_s"] =
      static_cast<double>(samples.generated_tokens + update.train_tokens) / std::max(total, 1e-9);
  return metrics;
}

EvalResult Trainer::evaluate(const std::string& label) {
  EvalResult out;
  const EvalConfig& ec = config_.eval;
  size_t count = eval_.size();
  if (ec.max_problems > 0) count = std::min(count, ec.max_problems);
  out.problems = count;
  if (count == 0 || rewards_ == nullptr) return out;
  model_->eval();
  size_t completions = 0, ie = 0;
  std::string first_ie_reason;
  std::vector<double> greedy_formats, sampled_formats;
  // One pass over the problems with n completions each at `temperature`; returns the number of
  // correct completions per problem.
  auto run_pass = [&](int64_t n, double temperature, uint64_t stream, bool keep_samples,
                      std::vector<double>* formats) {
    SamplingOptions sampling;
    sampling.temperature = temperature;
    sampling.max_new_tokens = ec.max_new_tokens;
    std::vector<int64_t> correct(count, 0);
    int64_t batch_prompts = std::max<int64_t>(1, ec.batch_prompts);
    for (size_t begin = 0; begin < count; begin += static_cast<size_t>(batch_prompts)) {
      size_t end = std::min(count, begin + static_cast<size_t>(batch_prompts));
      std::vector<std::vector<int64_t>> prompts(eval_prompts_.begin() + static_cast<long>(begin),
                                                eval_prompts_.begin() + static_cast<long>(end));
      // The same seed for every evaluation, so before and after differ only by the weights.
      seed_torch(mix(mix(config_.seed, stream), begin));
      Generation gen = generate(model_, prompts, n, sampling, autocast_);
      std::vector<RewardRequest> requests;
      for (size_t r = 0; r < gen.completions.size(); ++r) {
        requests.push_back({&eval_[begin + r / static_cast<size_t>(n)],
                            Tokenizer::decode(gen.completions[r]), "python"});
      }
      std::vector<RewardResult> scored = score(requests);
      for (size_t r = 0; r < scored.size(); ++r) {
        size_t problem = begin + r / static_cast<size_t>(n);
        const RewardResult& res = scored[r];
        ++completions;
        if (!res.reward) {
          ++ie;
          if (first_ie_reason.empty()) first_ie_reason = res.reason;
        }
        formats->push_back(res.format);
        if (res.reward && res.accuracy >= 1.0) ++correct[problem];
        if (keep_samples && out.samples.size() < config_.report_samples &&
            r % static_cast<size_t>(n) == 0) {
          out.samples.push_back(sample_record(requests[r], res, label, global_step_));
        }
      }
    }
    return correct;
  };
  bool sampled = ec.samples > 0 && ec.temperature > 0.0;
  if (ec.greedy) {
    std::vector<int64_t> correct = run_pass(1, 0.0, kStreamEval, true, &greedy_formats);
    double sum = 0.0;
    for (int64_t c : correct) sum += static_cast<double>(c);
    out.greedy_pass_at_1 = sum / static_cast<double>(count);
  }
  if (sampled) {
    int64_t n = ec.samples;
    out.samples_per_problem = n;
    out.temperature = ec.temperature;
    std::vector<int64_t> correct =
        run_pass(n, ec.temperature, mix(kStreamEval, 1), !ec.greedy, &sampled_formats);
    for (int64_t k : ec.ks) {
      if (k < 1 || k > n) continue;
      double sum = 0.0;
      for (int64_t c : correct) sum += pass_at_k(n, c, k);
      out.pass_at_k[k] = sum / static_cast<double>(count);
    }
  }
  out.format_rate = mean_of(sampled ? sampled_formats : greedy_formats);
  out.ie_rate = completions ? static_cast<double>(ie) / static_cast<double>(completions) : 0.0;
  json rec = out.to_json();
  rec["phase"] = "eval";
  rec["label"] = label;
  rec["step"] = global_step_;
  if (out.greedy_pass_at_1) rec["greedy_pass@1"] = *out.greedy_pass_at_1;
  for (const auto& [k, v] : out.pass_at_k) rec["pass@" + std::to_string(k)] = v;
  evals_.push_back(rec);
  record(rec);
  shown_samples_.insert(shown_samples_.end(), out.samples.begin(), out.samples.end());
  if (config_.write_outputs) {
    std::ofstream samples(fs::path(run_dir()) / "samples.jsonl", std::ios::app);
    for (const SampleRecord& s : out.samples)
      samples << s.to_json().dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  }
  std::string abort = check_ie("evaluation " + label, ie, completions, first_ie_reason);
  if (!abort.empty()) throw TrainingAborted(abort);
  return out;
}

void Trainer::record(json metrics) {
  if (config_.write_outputs) {
    std::ofstream out(fs::path(run_dir()) / "metrics.jsonl", std::ios::app);
    out << metrics.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  }
  metrics_.push_back(std::move(metrics));
}

bool Trainer::save_checkpoint(const std::string& dir, std::string* error) {
  try {
    fs::path final_dir(dir);
    fs::path tmp = final_dir;
    tmp += ".tmp";
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    torch::save(model_, (tmp / "model.pt").string());
    if (optimizer_) torch::save(*optimizer_, (tmp / "optimizer.pt").string());
    if (reference_) torch::save(reference_, (tmp / "reference.pt").string());
    json state = {{"phase", phase_name(phase_)},      {"phase_step", phase_step_},
                  {"global_step", global_step_},      {"seed", config_.seed},
                  {"model", config_.model.to_json()}, {"torch", TORCH_VERSION}};
    if (!write_text(tmp / "state.json", state.dump(2) + "\n", error)) return false;
    fs::remove_all(final_dir);
    fs::rename(tmp, final_dir);  // a crash mid-save never leaves a half checkpoint
    return true;
  } catch (const std::exception& e) {
    if (error) *error = "saving checkpoint " + dir + ": " + e.what();
    return false;
  }
}

bool Trainer::load_weights(const std::string& dir, std::string* error) {
  try {
    json state = json::parse(read_text(fs::path(dir) / "state.json"));
    auto config = ModelConfig::from_json(state.at("model"), error);
    if (!config) return false;
    if (config->to_json() != config_.model.to_json()) {
      if (error)
        *error = "checkpoint " + dir + " has model " + config->to_json().dump() + ", this run " +
                 config_.model.to_json().dump();
      return false;
    }
    torch::load(model_, (fs::path(dir) / "model.pt").string(), device_);
    return true;
  } catch (const std::exception& e) {
    if (error) *error = "loading checkpoint " + dir + ": " + e.what();
    return false;
  }
}

bool Trainer::load_checkpoint(const std::string& dir, std::string* error) {
  if (!load_weights(dir, error)) return false;
  try {
    json state = json::parse(read_text(fs::path(dir) / "state.json"));
    std::string phase = state.at("phase").get<std::string>();
    Phase p = phase == "sft" ? Phase::kSft : (phase == "rl" ? Phase::kRl : Phase::kDone);
    begin_phase(p);  // fresh optimizer and reference of the phase, then their saved state
    phase_step_ = state.at("phase_step").get<int64_t>();
    global_step_ = state.at("global_step").get<int64_t>();
    if (optimizer_ && fs::exists(fs::path(dir) / "optimizer.pt")) {
      torch::load(*optimizer_, (fs::path(dir) / "optimizer.pt").string(), device_);
    }
    if (reference_ && fs::exists(fs::path(dir) / "reference.pt")) {
      torch::load(reference_, (fs::path(dir) / "reference.pt").string(), device_);
    }
    return true;
  } catch (const std::exception& e) {
    if (error) *error = "loading checkpoint " + dir + ": " + e.what();
    return false;
  }
}

void Trainer::write_report() const {
  if (!config_.write_outputs) return;
  ReportData data;
  data.title = config_.name;
  data.config = config_.to_json();
  data.metrics = metrics_;
  data.evals = evals_;
  data.samples = shown_samples_;
  std::ofstream out(fs::path(run_dir()) / "report.html", std::ios::trunc);
  out << render_report_html(data);
}

int Trainer::run(std::string* error) {
  std::string ignored;
  if (error == nullptr) error = &ignored;
  fs::path dir = run_dir();
  fs::path checkpoints = dir / "checkpoints";
  if (config_.write_outputs) {
    std::error_code ec;
    fs::create_directories(checkpoints, ec);
    if (ec) {
      *error = "cannot create " + checkpoints.string() + ": " + ec.message();
      return 2;
    }
  }
  bool resumed = false;
  if (config_.resume && fs::exists(checkpoints / "latest")) {
    std::string name = read_text(checkpoints / "latest");
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
    if (!load_checkpoint((checkpoints / name).string(), error)) return 2;
    resumed = true;
    // Keep the records up to the checkpoint: later ones are redone by this run.
    std::istringstream lines(read_text(dir / "metrics.jsonl"));
    std::string line, kept;
    for (std::string l; std::getline(lines, l);) {
      json rec = json::parse(l, nullptr, false);
      if (rec.is_discarded() || rec.value("step", int64_t{0}) > global_step_) continue;
      if (rec.value("phase", "") == "eval") evals_.push_back(rec);
      metrics_.push_back(rec);
      kept += l + "\n";
    }
    if (!write_text(dir / "metrics.jsonl", kept, error)) return 2;
    std::cerr << "resumed " << dir.string() << " at step " << global_step_ << " ("
              << phase_name(phase_) << " step " << phase_step_ << ")\n";
  } else if (!config_.init_checkpoint.empty()) {
    if (!load_weights(config_.init_checkpoint, error)) return 2;
  }
  if (config_.write_outputs) {
    if (!resumed) {
      std::error_code ec;
      fs::remove(dir / "metrics.jsonl", ec);
      fs::remove(dir / "samples.jsonl", ec);
    }
    if (!write_text(dir / "config.json", config_.to_json().dump(2) + "\n", error)) return 2;
  }
  std::cerr << "model: " << model_->parameter_count() << " parameters, device " << device_.str()
            << (autocast_ ? " (bf16 autocast)" : "") << ", attention " << attention_backend()
            << "; " << train_.size() << " train / " << eval_.size() << " eval problems ("
            << dropped_ << " dropped: prompt too long); rewards "
            << (rewards_ ? rewards_->describe() : std::string("none")) << "\n";

  auto print_eval = [](const std::string& label, const EvalResult& r) {
    std::cerr << label << ":";
    if (r.greedy_pass_at_1) std::cerr << " greedy pass@1 " << *r.greedy_pass_at_1;
    for (const auto& [k, v] : r.pass_at_k)
      std::cerr << " pass@" << k << " " << v << " (n=" << r.samples_per_problem
                << ", T=" << r.temperature << ")";
    std::cerr << " format " << r.format_rate << " (" << r.problems << " problems)\n";
  };
  int64_t total_steps = (config_.mode != TrainMode::kRl ? config_.sft.steps : 0) +
                        (config_.mode != TrainMode::kSft ? config_.rl.steps : 0);
  ProgressBar bar(config_.progress);
  auto save = [&](std::string* err) {
    if (!config_.write_outputs) return true;
    char name[32];
    std::snprintf(name, sizeof(name), "step-%06lld", static_cast<long long>(global_step_));
    if (!save_checkpoint((checkpoints / name).string(), err)) return false;
    return write_text(checkpoints / "latest", std::string(name) + "\n", err);
  };
  try {
    if (!resumed && config_.eval.before && rewards_)
      print_eval("eval before", evaluate("eval_before"));
    while (phase_ != Phase::kDone) {
      Phase before = phase_;
      int64_t phase_total = before == Phase::kSft ? config_.sft.steps : config_.rl.steps;
      json m = step();
      bar.update(phase_name(before), m.value("phase_step", int64_t{0}), phase_total, m,
                 global_step_, total_steps);
      if (config_.save_every > 0 && global_step_ % config_.save_every == 0 && !save(error))
        return 2;
      if (before == Phase::kSft && phase_ == Phase::kRl && config_.eval.after && rewards_) {
        // SFT alone against SFT then RL, in one run: the same held-out problems, same seed.
        bar.finish();
        print_eval("eval after sft", evaluate("eval_after_sft"));
      }
      if (config_.eval.every > 0 && global_step_ % config_.eval.every == 0 &&
          phase_ != Phase::kDone) {
        evaluate("eval_step");
      }
      if (global_step_ % 10 == 0) write_report();
    }
    bar.finish();
    if (config_.eval.after && rewards_) print_eval("eval after", evaluate("eval_after"));
  } catch (const TrainingAborted& e) {
    // No checkpoint of this state (its last step learned nothing); --resume goes back to the
    // last one saved. The report shows the run up to here.
    bar.finish();
    write_report();
    *error = e.what();
    return 3;
  }
  if (config_.save_final && !save(error)) return 2;
  write_report();
  if (config_.write_outputs) std::cerr << "report: " << (dir / "report.html").string() << "\n";
  return 0;
}

}  // namespace codejudge::trainer
