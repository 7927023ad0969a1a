#include "codejudge/trainer/grpo.h"

namespace codejudge::trainer {

const char* advantage_norm_name(AdvantageNorm norm) {
  switch (norm) {
    case AdvantageNorm::kGroup:
      return "group";
    case AdvantageNorm::kBatch:
      return "batch";
    case AdvantageNorm::kNone:
      return "none";
  }
  return "group";
}

std::optional<AdvantageNorm> parse_advantage_norm(std::string_view name) {
  if (name == "group") return AdvantageNorm::kGroup;
  if (name == "batch") return AdvantageNorm::kBatch;
  if (name == "none") return AdvantageNorm::kNone;
  return std::nullopt;
}

const char* loss_aggregation_name(LossAggregation aggregation) {
  switch (aggregation) {
    case LossAggregation::kGrpo:
      return "grpo";
    case LossAggregation::kDapo:
      return "dapo";
    case LossAggregation::kDrGrpo:
      return "dr_grpo";
  }
  return "grpo";
}

std::optional<LossAggregation> parse_loss_aggregation(std::string_view name) {
  if (name == "grpo") return LossAggregation::kGrpo;
  if (name == "dapo") return LossAggregation::kDapo;
  if (name == "dr_grpo" || name == "dr-grpo") return LossAggregation::kDrGrpo;
  return std::nullopt;
}

namespace {

struct GroupStats {
  torch::Tensor mean;   // [N/G, 1]
  torch::Tensor std;    // [N/G, 1], sample std over valid rewards (0 with < 2)
  torch::Tensor count;  // [N/G, 1] valid rewards
};

GroupStats group_stats(const torch::Tensor& rewards, const torch::Tensor& valid, int64_t g) {
  torch::Tensor r = rewards.to(torch::kDouble).view({-1, g});  // [N/G, G]
  torch::Tensor v = valid.to(torch::kDouble).view({-1, g});
  GroupStats s;
  s.count = v.sum(1, true);
  s.mean = (r * v).sum(1, true) / s.count.clamp_min(1.0);
  torch::Tensor sq = ((r - s.mean).pow(2) * v).sum(1, true);
  s.std = (sq / (s.count - 1.0).clamp_min(1.0)).sqrt();
  return s;
}

}  // namespace

torch::Tensor compute_advantages(const torch::Tensor& rewards, const torch::Tensor& valid,
                                 int64_t group_size, AdvantageNorm norm, double eps) {
  TORCH_CHECK(rewards.dim() == 1 && rewards.size(0) % group_size == 0,
              "rewards must be [N] with N a multiple of the group size");
  GroupStats s = group_stats(rewards, valid, group_size);
  torch::Tensor r = rewards.to(torch::kDouble).view({-1, group_size});
  torch::Tensor v = valid.to(torch::kDouble).view({-1, group_size});
  torch::Tensor centered = r - s.mean;  // [N/G, G]
  torch::Tensor adv;
  switch (norm) {
    case AdvantageNorm::kGroup:
      adv = centered / (s.std + eps);
      break;
    case AdvantageNorm::kBatch: {
      torch::Tensor all = rewards.to(torch::kDouble).masked_select(valid.to(torch::kBool));
      double std = all.numel() > 1 ? all.std().item<double>() : 0.0;  // sample std
      adv = centered / (std + eps);
      break;
    }
    case AdvantageNorm::kNone:
      adv = centered;
      break;
  }
  torch::Tensor usable = v * s.count.ge(2.0).to(torch::kDouble);  // [N/G, G]
  return (adv * usable).view({-1}).to(torch::kFloat);
}

torch::Tensor zero_variance_groups(const torch::Tensor& rewards, const torch::Tensor& valid,
                                   int64_t group_size) {
  torch::Tensor r = rewards.to(torch::kDouble).view({-1, group_size});
  torch::Tensor v = valid.to(torch::kBool).view({-1, group_size});
  constexpr double kInf = std::numeric_limits<double>::infinity();
  torch::Tensor hi = r.masked_fill(v.logical_not(), -kInf).amax(1);
  torch::Tensor lo = r.masked_fill(v.logical_not(), kInf).amin(1);
  torch::Tensor few = v.sum(1).lt(2);
  return few.logical_or(hi.eq(lo));
}

torch::Tensor token_weights(const torch::Tensor& mask, LossAggregation aggregation,
                            int64_t max_completion_tokens) {
  torch::Tensor m = mask.to(torch::kFloat);  // [N, T]
  switch (aggregation) {
    case LossAggregation::kGrpo: {
      torch::Tensor lengths = m.sum(1, true);            // [N, 1]
      double rows = lengths.gt(0).sum().item<double>();  // sequences with tokens
      return m / lengths.clamp_min(1.0) / std::max(rows, 1.0);
    }
    case LossAggregation::kDapo:
      return m / std::max(m.sum().item<double>(), 1.0);
    case LossAggregation::kDrGrpo: {
      double denominator =
          static_cast<double>(m.size(0) * std::max<int64_t>(1, max_completion_tokens));
      return m / denominator;
    }
  }
  return m;
}

PolicyLoss policy_loss(const torch::Tensor& logp, const torch::Tensor& old_logp,
                       const torch::Tensor& ref_logp, const torch::Tensor& advantages,
                       const torch::Tensor& mask, const torch::Tensor& weights,
                       const PolicyLossOptions& options) {
  torch::Tensor a = advantages.to(logp.scalar_type()).unsqueeze(1);  // [N, 1]
  torch::Tensor ratio = torch::exp(logp - old_logp);                 // [N, T]
  torch::Tensor clipped = ratio.clamp(1.0 - options.eps_low, 1.0 + options.eps_high);
  torch::Tensor per_token = -torch::min(ratio * a, clipped * a);
  torch::Tensor kl;
  if (options.beta != 0.0 && ref_logp.defined()) {
    torch::Tensor diff = ref_logp - logp;
    kl = torch::exp(diff) - diff - 1.0;  // k3: unbiased, always >= 0
    per_token = per_token + options.beta * kl;
  }
  PolicyLoss out;
  out.loss = (per_token * weights).sum();
  out.per_token = per_token;
  torch::NoGradGuard no_grad;
  torch::Tensor m = mask.to(torch::kFloat);
  double tokens = std::max(m.sum().item<double>(), 1.0);
  torch::Tensor active = ratio.lt(1.0 - options.eps_low)
                             .logical_and(a.lt(0))
                             .logical_or(ratio.gt(1.0 + options.eps_high).logical_and(a.gt(0)));
  out.clip_fraction = (active.to(torch::kFloat) * m).sum().item<double>() / tokens;
  out.ratio_mean = (ratio.detach() * m).sum().item<double>() / tokens;
  if (kl.defined()) out.kl_mean = (kl.detach() * m).sum().item<double>() / tokens;
  return out;
}

torch::Tensor token_log_probs(const torch::Tensor& logits, const torch::Tensor& targets) {
  torch::Tensor logp = torch::log_softmax(logits.to(torch::kFloat), -1);  // [N, T, V]
  return logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1);              // [N, T]
}

torch::Tensor token_entropy(const torch::Tensor& logits) {
  torch::Tensor logp = torch::log_softmax(logits.to(torch::kFloat), -1);
  return -(logp.exp() * logp).sum(-1);
}

}  // namespace codejudge::trainer
