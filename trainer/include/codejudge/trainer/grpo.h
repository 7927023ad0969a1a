// GRPO pieces as pure tensor functions, each checked against hand-computed values in
// tests/trainer/grpo_test.cpp.
//
// Shapes: N samples (groups of G consecutive rows), T completion positions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <torch/torch.h>

namespace codejudge::trainer {

// How advantages are scaled after subtracting the group mean.
enum class AdvantageNorm {
  kGroup,  // divide by the group's standard deviation (GRPO)
  kBatch,  // divide by the standard deviation of all valid rewards in the batch
  kNone,   // no division (Dr. GRPO)
};

// How per-token losses become one number.
enum class LossAggregation {
  kGrpo,    // mean over each sequence's tokens, then mean over sequences
  kDapo,    // mean over all tokens of the batch (token level)
  kDrGrpo,  // sum over tokens divided by a constant: rows * max_completion_tokens
};

const char* advantage_norm_name(AdvantageNorm norm);
std::optional<AdvantageNorm> parse_advantage_norm(std::string_view name);  // group, batch, none
const char* loss_aggregation_name(LossAggregation aggregation);
std::optional<LossAggregation> parse_loss_aggregation(
    std::string_view name);  // grpo, dapo, dr_grpo

// rewards: [N] float; valid: [N] bool (false: a null reward, masked). Returns [N] float:
// (r - mean of the group's valid rewards) / (std + eps), with the sample standard deviation
// (n - 1). Invalid samples, and every sample of a group with fewer than two valid rewards, get 0.
torch::Tensor compute_advantages(const torch::Tensor& rewards, const torch::Tensor& valid,
                                 int64_t group_size, AdvantageNorm norm, double eps = 1e-4);

// [N / G] bool: the group's valid rewards are all equal (or fewer than two are valid), so its
// advantages are all zero and it teaches nothing. Dynamic sampling drops these groups.
torch::Tensor zero_variance_groups(const torch::Tensor& rewards, const torch::Tensor& valid,
                                   int64_t group_size);

// mask: [N, T] float (1 on completion tokens of valid samples). Returns [N, T] weights w such
// that the aggregated loss is sum(w * per_token_loss).
torch::Tensor token_weights(const torch::Tensor& mask, LossAggregation aggregation,
                            int64_t max_completion_tokens);

struct PolicyLossOptions {
  double eps_low = 0.2;    // ratio floor 1 - eps_low
  double eps_high = 0.28;  // ratio ceiling 1 + eps_high (DAPO's clip-higher)
  double beta = 0.0;       // weight of the k3 KL to the reference policy; 0: off
};

struct PolicyLoss {
  torch::Tensor loss;          // scalar, differentiable: sum(weights * per-token loss)
  torch::Tensor per_token;     // [N, T] -min(r A, clip(r) A) + beta * k3, before weighting
  double clip_fraction = 0.0;  // share of masked tokens where the clip was active
  double kl_mean = 0.0;        // mean k3 over masked tokens (0 without a reference)
  double ratio_mean = 0.0;
};

// logp, old_logp, ref_logp: [N, T] log-probabilities of the sampled tokens under the current,
// sampling-time and reference policies (ref_logp undefined when beta is 0); advantages [N];
// mask, weights [N, T]. k3 = exp(ref - logp) - (ref - logp) - 1.
PolicyLoss policy_loss(const torch::Tensor& logp, const torch::Tensor& old_logp,
                       const torch::Tensor& ref_logp, const torch::Tensor& advantages,
                       const torch::Tensor& mask, const torch::Tensor& weights,
                       const PolicyLossOptions& options);

// logits: [N, T, V]; targets: [N, T] int64. Returns [N, T] log p(target) in float32.
torch::Tensor token_log_probs(const torch::Tensor& logits, const torch::Tensor& targets);

// logits: [N, T, V] -> [N, T] entropy of each position's distribution, in float32.
torch::Tensor token_entropy(const torch::Tensor& logits);

}  // namespace codejudge::trainer
