// GRPO pieces as pure tensor functions, each checked against hand-computed values in
// tests/trainer/trainer_unit_test.cpp. None of them waits for the device: metrics come back as
// tensors, and the trainer copies them to the host once per step.
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
// that the aggregated loss is sum(w * per_token_loss). dr_grpo is meant with AdvantageNorm::kNone
// (Dr. GRPO drops both the length and the std normalisation); codejudge-train implies it.
torch::Tensor token_weights(const torch::Tensor& mask, LossAggregation aggregation,
                            int64_t max_completion_tokens);

struct PolicyLossOptions {
  double eps_low = 0.2;    // ratio floor 1 - eps_low
  double eps_high = 0.28;  // ratio ceiling 1 + eps_high (DAPO's clip-higher)
  // Dual clip (verl's clip_ratio_c): with a negative advantage the loss of a token is at most
  // -A * clip_c, however far its ratio has grown. 0: off; else it must exceed 1.
  double clip_c = 3.0;
  double beta = 0.0;  // weight of the k3 KL to the reference policy; 0: off
};

// log(ratio) and the KL's log difference are clamped to [-20, 20] before exp (as verl does), so
// one token whose probability collapsed cannot overflow the loss; k3 is clamped to [-10, 10].
constexpr double kLogRatioClamp = 20.0;
constexpr double kKlClamp = 10.0;

struct PolicyLoss {
  torch::Tensor loss;       // scalar, differentiable: sum(weights * per-token loss)
  torch::Tensor per_token;  // [N, T] the clipped policy loss + beta * k3, before weighting
  // Scalars over the masked tokens, detached, on the loss's device:
  torch::Tensor clip_fraction;       // share where the ratio clip was active (verl's pg_clipfrac)
  torch::Tensor dual_clip_fraction;  // share where the dual clip was active (A < 0)
  torch::Tensor kl_mean;             // mean k3 (0 without a reference)
  torch::Tensor ratio_mean;
  torch::Tensor tokens;  // number of masked tokens
};

// logp, old_logp, ref_logp: [N, T] log-probabilities of the sampled tokens under the current,
// sampling-time and reference policies (ref_logp undefined when beta is 0); advantages [N];
// mask, weights [N, T]. Per token, with r = exp(clamp(logp - old_logp)):
//   l = max(-A r, -A clip(r, 1 - eps_low, 1 + eps_high)), then min(l, -A clip_c) where A < 0;
//   plus beta * k3 with k3 = exp(ref - logp) - (ref - logp) - 1.
PolicyLoss policy_loss(const torch::Tensor& logp, const torch::Tensor& old_logp,
                       const torch::Tensor& ref_logp, const torch::Tensor& advantages,
                       const torch::Tensor& mask, const torch::Tensor& weights,
                       const PolicyLossOptions& options);

// logits: [N, T, V]; targets: [N, T] int64. Returns [N, T] log p(target) in float32 under
// softmax(logits / temperature): the distribution the tokens were sampled from, as TRL's
// GRPOTrainer computes it (temperature <= 0, greedy, counts as 1).
torch::Tensor token_log_probs(const torch::Tensor& logits, const torch::Tensor& targets,
                              double temperature = 1.0);

// logits: [N, T, V] -> [N, T] entropy of each position's softmax(logits / temperature), float32.
torch::Tensor token_entropy(const torch::Tensor& logits, double temperature = 1.0);

// Scales the gradients of `parameters` so their global L2 norm is at most max_norm (as
// torch.nn.utils.clip_grad_norm_ does) and returns the norm before clipping as a scalar tensor on
// the gradients' device, without waiting for it.
torch::Tensor clip_grad_norm(const std::vector<torch::Tensor>& parameters, double max_norm);

}  // namespace codejudge::trainer
