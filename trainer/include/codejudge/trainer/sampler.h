// Batched sampling with a KV cache. The distinct prompts are prefilled once (left-padded into one
// batch); the cache is then repeated so each prompt's group of samples shares that prefill. Each
// row has its own length limit (the context minus its own prompt), so one long prompt never
// shortens the other rows. The decode loop makes no host round trip per token: tokens are drawn
// on the device and the end of every row is checked only every kEndCheckInterval steps.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "codejudge/trainer/model.h"

namespace codejudge::trainer {

struct SamplingOptions {
  double temperature = 1.0;      // 0: greedy
  int64_t top_k = 0;             // 0: off
  double top_p = 1.0;            // 1: off
  int64_t max_new_tokens = 256;  // per row; also cut so that row's prompt + completion fits
                                 // the context
};

struct Generation {
  // prompts.size() * group_size rows: prompt i's samples are rows i*G .. i*G+G-1. Each holds the
  // sampled tokens, with the EOS when one was sampled.
  std::vector<std::vector<int64_t>> completions;
  std::vector<bool> finished;  // ended with EOS (else cut at its length limit)
  int64_t prompt_tokens = 0;   // tokens prefilled (distinct prompts, without padding)
  int64_t generated_tokens = 0;
  int64_t decode_steps = 0;  // sampling iterations run (each over every row)
};

constexpr int64_t kEndCheckInterval = 16;  // decode steps between checks that every row is done

// prompts: token lists (each non-empty, BOS first, shorter than the context). Runs under
// NoGradGuard and one AutocastGuard(autocast); the caller chooses train/eval mode and the seed.
Generation generate(Transformer& model, const std::vector<std::vector<int64_t>>& prompts,
                    int64_t group_size, const SamplingOptions& options, bool autocast);

// logits: [N, V] (float). Sets to -inf every logit outside the top_k largest (top_k > 0) and
// outside the smallest set of most likely tokens whose probability reaches top_p (top_p < 1);
// the most likely token always stays.
torch::Tensor filter_logits(const torch::Tensor& logits, int64_t top_k, double top_p);

// One token per row from logits [N, V]: argmax when temperature is 0, else a draw from
// softmax(filter_logits(logits / temperature)), taken as argmax(p / E) with E ~ Exp(1) per entry
// (the exponential race: the same distribution as multinomial, without its host sync on CUDA).
// Returns [N] int64 on the logits' device.
torch::Tensor sample_tokens(const torch::Tensor& logits, const SamplingOptions& options);

}  // namespace codejudge::trainer
