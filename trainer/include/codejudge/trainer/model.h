// A decoder-only transformer in the LibTorch C++ API: token embedding, pre-norm blocks (RMSNorm,
// causal self-attention with RoPE, GELU MLP), a final RMSNorm and an output layer tied to the
// embedding. trainer/python/reference_model.py is the same network in PyTorch; the tests compare
// logits, loss and gradients with it.
//
// Shapes: B batch, T tokens, H heads, D d_model, Dh = D / H per head, F d_ff, V vocabulary.
// Attention uses at::scaled_dot_product_attention where LibTorch has it (2.0 and later) and a
// plain softmax(QK^T)V otherwise; both give the same values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

namespace codejudge::trainer {

struct ModelConfig {
  int64_t vocab_size = 264;
  int64_t n_layer = 4;
  int64_t n_head = 4;
  int64_t d_model = 256;
  int64_t d_ff = 0;       // 0: 4 * d_model
  int64_t context = 512;  // the most tokens a sequence (prompt + completion) may hold
  double rope_theta = 10000.0;
  double norm_eps = 1e-5;
  double init_std = 0.02;

  int64_t ff_dim() const { return d_ff > 0 ? d_ff : 4 * d_model; }
  int64_t head_dim() const { return d_model / n_head; }
  // Empty when usable, else what is wrong ("d_model 100 is not a multiple of n_head 3").
  std::string validate() const;
  nlohmann::json to_json() const;
  static std::optional<ModelConfig> from_json(const nlohmann::json& json, std::string* error);
};

// Keys and values of the positions seen so far, for sampling one token at a time.
struct KVCache {
  int64_t capacity = 0;               // positions per row
  int64_t length = 0;                 // positions filled (the same for every row)
  std::vector<torch::Tensor> keys;    // per layer [B, H, capacity, Dh], allocated on first use
  std::vector<torch::Tensor> values;  // per layer [B, H, capacity, Dh]
  torch::Tensor key_valid;            // [B, capacity] bool: false for left padding

  int64_t batch() const { return key_valid.size(0); }
  // Repeats each row `times` times in place (row r becomes rows r*times .. r*times+times-1):
  // a prompt prefilled once serves a group of samples.
  void repeat_rows(int64_t times);
};

class RMSNormImpl : public torch::nn::Module {
 public:
  RMSNormImpl(int64_t dim, double eps);
  torch::Tensor forward(const torch::Tensor& x);  // [..., D] -> [..., D]

 private:
  torch::Tensor weight_;  // [D]
  double eps_;
};
TORCH_MODULE(RMSNorm);

class BlockImpl : public torch::nn::Module {
 public:
  explicit BlockImpl(const ModelConfig& config);
  // x: [B, T, D]; cos/sin: [B or 1, 1, T, Dh/2]; mask: [B, 1, T, K] bool (true: may attend) or
  // undefined for plain causal attention over the T positions. With a cache, this call's keys
  // and values go to positions [cache.length, cache.length + T) of layer `layer`.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const torch::Tensor& mask, KVCache* cache, size_t layer);

 private:
  int64_t n_head_;
  RMSNorm attn_norm_{nullptr};
  torch::nn::Linear qkv_{nullptr};   // D -> 3D: rows are [q | k | v], each split by head
  torch::nn::Linear proj_{nullptr};  // D -> D
  RMSNorm mlp_norm_{nullptr};
  torch::nn::Linear fc1_{nullptr};  // D -> F
  torch::nn::Linear fc2_{nullptr};  // F -> D
};
TORCH_MODULE(Block);

class TransformerImpl : public torch::nn::Module {
 public:
  explicit TransformerImpl(const ModelConfig& config);

  // tokens: [B, T] int64 at positions 0..T-1 -> logits [B, T, V], always float32 (the output
  // layer runs outside autocast: log-probabilities need the logits' full precision).
  // Causal, so right padding never changes the logits of the positions before it.
  torch::Tensor forward(const torch::Tensor& tokens);

  // Incremental decoding. tokens, positions: [B, T] int64; valid: [B, T] bool (false for left
  // padding). Appends to the cache and returns float32 logits [B, T, V]. The cache must have
  // room; positions must be below the context.
  torch::Tensor forward_cached(const torch::Tensor& tokens, const torch::Tensor& positions,
                               const torch::Tensor& valid, KVCache& cache);

  // capacity: cache columns per row. Rows are left-padded, so a batch of prompts of different
  // lengths may need more columns than the context (the longest prompt plus the most new
  // tokens any row may take); each row's positions still stay below the context.
  KVCache make_cache(int64_t batch, int64_t capacity) const;

  const ModelConfig& config() const { return config_; }
  int64_t parameter_count();
  // Draws fresh weights from the current torch seed (GPT-2 style scales).
  void reset_weights();

 private:
  torch::Tensor head(const torch::Tensor& x);  // [B, T, D] -> [B, T, V]

  ModelConfig config_;
  torch::nn::Embedding tok_emb_{nullptr};  // [V, D], also the output layer
  torch::nn::ModuleList blocks_{nullptr};
  RMSNorm norm_{nullptr};
  torch::Tensor rope_cos_;  // [context, Dh/2]
  torch::Tensor rope_sin_;  // [context, Dh/2]
};
TORCH_MODULE(Transformer);

// "cpu", "cuda", "cuda:1" or "auto" (CUDA when available).
std::optional<torch::Device> parse_device(const std::string& name, std::string* error);

// Sets bf16 autocast on CUDA to `enabled` for its scope and restores the previous setting after.
// Autocast caches the bf16 copies of the weights until the outermost guard ends: hold one guard
// per generate() and per optimizer step (so each weight is cast once, not once per token or
// micro-batch), and never across optimizer.step(). Inside one, AutocastGuard(false) pauses
// autocast (for backward) without dropping the cache. A no-op on CPU, which stays fp32.
class AutocastGuard {
 public:
  explicit AutocastGuard(bool enabled);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  bool active_ = false;    // this guard changed the state
  bool previous_ = false;  // the setting to restore
};

// Which attention kernel this build uses: "sdpa" or "manual".
const char* attention_backend();

}  // namespace codejudge::trainer
