#include "codejudge/trainer/optim.h"

#include <cmath>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace codejudge::trainer {

namespace {

// The optimizer's state is keyed by the parameter's TensorImpl: its address as text in LibTorch
// 1.x, the pointer itself in 2.x.
template <typename Key>
Key state_key(const torch::Tensor& p) {
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream text;
    text << p.unsafeGetTensorImpl();
    return text.str();
  } else {
    return p.unsafeGetTensorImpl();
  }
}

struct Bucket {  // parameters at the same step count, updated together
  std::vector<torch::Tensor> params, grads, exp_avgs, exp_avg_sqs;
};

}  // namespace

void adamw_step(torch::optim::AdamW& optimizer) {
  torch::NoGradGuard no_grad;
  auto& state = optimizer.state();
  using Key = typename std::decay_t<decltype(state)>::key_type;
  for (auto& group : optimizer.param_groups()) {
    auto& options = static_cast<torch::optim::AdamWOptions&>(group.options());
    TORCH_CHECK(!options.amsgrad(), "adamw_step: amsgrad is not supported");
    std::map<int64_t, Bucket> buckets;
    for (const auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      auto& slot = state[state_key<Key>(p)];
      if (!slot) {
        auto fresh = std::make_unique<torch::optim::AdamWParamState>();
        fresh->step(0);
        fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        slot = std::move(fresh);
      }
      auto& s = static_cast<torch::optim::AdamWParamState&>(*slot);
      s.step(s.step() + 1);
      Bucket& b = buckets[s.step()];
      b.params.push_back(p);
      b.grads.push_back(p.grad());
      b.exp_avgs.push_back(s.exp_avg());
      b.exp_avg_sqs.push_back(s.exp_avg_sq());
    }
    double lr = options.lr(), eps = options.eps(), weight_decay = options.weight_decay();
    auto [beta1, beta2] = options.betas();
    for (auto& [step, b] : buckets) {
      if (weight_decay != 0.0) at::_foreach_mul_(b.params, 1.0 - lr * weight_decay);
      at::_foreach_mul_(b.exp_avgs, beta1);
      at::_foreach_add_(b.exp_avgs, b.grads, 1.0 - beta1);
      at::_foreach_mul_(b.exp_avg_sqs, beta2);
      at::_foreach_addcmul_(b.exp_avg_sqs, b.grads, b.grads, 1.0 - beta2);
      double correction1 = 1.0 - std::pow(beta1, static_cast<double>(step));
      double correction2 = 1.0 - std::pow(beta2, static_cast<double>(step));
      std::vector<torch::Tensor> denom = at::_foreach_sqrt(b.exp_avg_sqs);
      at::_foreach_div_(denom, std::sqrt(correction2));
      at::_foreach_add_(denom, eps);
      at::_foreach_addcdiv_(b.params, b.exp_avgs, denom, -lr / correction1);
    }
  }
}

}  // namespace codejudge::trainer
