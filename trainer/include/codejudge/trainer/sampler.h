// Batched sampling with a KV cache. The distinct prompts are prefilled once (left-padded into one
// batch); the cache is then repeated so each prompt's group of samples shares that prefill.
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
  int64_t max_new_tokens = 256;  // also cut so prompt + completion fits the context
};

struct Generation {
  // prompts.size() * group_size rows: prompt i's samples are rows i*G .. i*G+G-1. Each holds the
  // sampled tokens, with the EOS when one was sampled.
  std::vector<std::vector<int64_t>> completions;
  std::vector<bool> finished;  // ended with EOS (else cut at max_new_tokens)
  int64_t prompt_tokens = 0;   // tokens prefilled (distinct prompts, without padding)
  int64_t generated_tokens = 0;
  int64_t decode_steps = 0;  // sampling iterations run (each over every row)
};

// prompts: token lists (each non-empty, BOS first). Runs under NoGradGuard; the caller chooses
// train/eval mode and the seed.
Generation generate(Transformer& model, const std::vector<std::vector<int64_t>>& prompts,
                    int64_t group_size, const SamplingOptions& options, bool autocast);

// logits: [N, V] (float). Sets to -inf every logit outside the top_k largest (top_k > 0) and
// outside the smallest set of most likely tokens whose probability reaches top_p (top_p < 1);
// the most likely token always stays.
torch::Tensor filter_logits(const torch::Tensor& logits, int64_t top_k, double top_p);

// One token per row from logits [N, V]: argmax when temperature is 0, else a draw from
// softmax(filter_logits(logits / temperature)). Returns [N] int64.
torch::Tensor sample_tokens(const torch::Tensor& logits, const SamplingOptions& options);

}  // namespace codejudge::trainer
