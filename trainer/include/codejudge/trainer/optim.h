// AdamW with the multi-tensor (foreach) kernels that PyTorch uses by default on CUDA: a few
// kernel launches per group of parameters instead of about ten per parameter, which is most of
// an optimizer step's time for a small model on a GPU. The math, and the state it keeps, are
// those of torch::optim::AdamW (decoupled weight decay, bias correction), so checkpoints written
// by either load in the other; tests/trainer compares the two.
#pragma once

#include <torch/torch.h>

namespace codejudge::trainer {

// One optimizer step over every parameter with a gradient. The state (step, exp_avg, exp_avg_sq)
// lives in `optimizer`, created on first use as torch::optim::AdamW::step would. amsgrad is not
// supported (the options must leave it off).
void adamw_step(torch::optim::AdamW& optimizer);

}  // namespace codejudge::trainer
