#include "codejudge/trainer/grpo.h"

#include <algorithm>
#include <limits>

#include "torch_version.h"

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
      torch::Tensor lengths = m.sum(1, true);                      // [N, 1]
      torch::Tensor rows = lengths.gt(0).sum().to(torch::kFloat);  // sequences with tokens
      return m / lengths.clamp_min(1.0) / rows.clamp_min(1.0);
    }
    case LossAggregation::kDapo:
      return m / m.sum().clamp_min(1.0);
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
  TORCH_CHECK(options.clip_c == 0.0 || options.clip_c > 1.0, "clip_c must be 0 (off) or above 1");
  torch::Tensor a = advantages.to(logp.scalar_type()).unsqueeze(1);  // [N, 1]
  torch::Tensor ratio =
      torch::exp((logp - old_logp).clamp(-kLogRatioClamp, kLogRatioClamp));  // [N, T]
  torch::Tensor unclipped = -a * ratio;
  torch::Tensor clipped = -a * ratio.clamp(1.0 - options.eps_low, 1.0 + options.eps_high);
  torch::Tensor per_token = torch::max(unclipped, clipped);  // the pessimistic bound
  torch::Tensor negative = a.lt(0).expand_as(per_token);
  torch::Tensor dual_active;
  if (options.clip_c > 0.0) {
    torch::Tensor cap = -a * options.clip_c;  // [N, 1]
    dual_active = negative.logical_and(per_token.gt(cap));
    per_token = torch::where(negative, torch::min(per_token, cap), per_token);
  }
  torch::Tensor kl;
  if (options.beta != 0.0 && ref_logp.defined()) {
    torch::Tensor diff = (ref_logp - logp).clamp(-kLogRatioClamp, kLogRatioClamp);
    kl = (torch::exp(diff) - diff - 1.0).clamp(-kKlClamp, kKlClamp);  // k3: unbiased, >= 0
    per_token = per_token + options.beta * kl;
  }
  PolicyLoss out;
  out.loss = (per_token * weights).sum();
  out.per_token = per_token;
  torch::NoGradGuard no_grad;
  torch::Tensor m = mask.to(torch::kFloat);
  out.tokens = m.sum();
  torch::Tensor denom = out.tokens.clamp_min(1.0);
  auto masked_mean = [&](const torch::Tensor& x) {
    return (x.to(torch::kFloat) * m).sum() / denom;
  };
  out.clip_fraction = masked_mean(clipped.gt(unclipped));
  out.dual_clip_fraction =
      dual_active.defined() ? masked_mean(dual_active) : torch::zeros({}, m.options());
  out.ratio_mean = masked_mean(ratio.detach());
  out.kl_mean = kl.defined() ? masked_mean(kl.detach()) : torch::zeros({}, m.options());
  return out;
}

namespace {

torch::Tensor tempered_log_softmax(const torch::Tensor& logits, double temperature) {
  torch::Tensor l = logits.to(torch::kFloat);
  if (temperature > 0.0 && temperature != 1.0) l = l / temperature;
  return torch::log_softmax(l, -1);  // [N, T, V]
}

}  // namespace

torch::Tensor token_log_probs(const torch::Tensor& logits, const torch::Tensor& targets,
                              double temperature) {
  torch::Tensor logp = tempered_log_softmax(logits, temperature);  // [N, T, V]
  return logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1);       // [N, T]
}

torch::Tensor token_entropy(const torch::Tensor& logits, double temperature) {
  torch::Tensor logp = tempered_log_softmax(logits, temperature);
  return -(logp.exp() * logp).sum(-1);
}

torch::Tensor clip_grad_norm(const std::vector<torch::Tensor>& parameters, double max_norm) {
  std::vector<torch::Tensor> grads;
  for (const auto& p : parameters) {
    if (p.grad().defined()) grads.push_back(p.grad());
  }
  if (grads.empty()) return torch::zeros({});
  // One multi-tensor kernel for the per-parameter norms, as torch.nn.utils.clip_grad_norm_.
  torch::Tensor total = torch::stack(at::_foreach_norm(grads, 2)).norm(2);  // scalar
  if (max_norm > 0.0) {
    // min(1, max_norm / (norm + 1e-6)), applied on the device: no branch on the host.
    torch::Tensor scale = (max_norm / (total + 1e-6)).clamp_max(1.0);
#if CODEJUDGE_TORCH_AT_LEAST(2, 1)
    at::_foreach_mul_(grads, scale);
#else
    for (auto& g : grads) g.mul_(scale);
#endif
  }
  return total;
}

}  // namespace codejudge::trainer
