#include "codejudge/trainer/model.h"

#include <ATen/autocast_mode.h>
#include <c10/core/impl/LocalDispatchKeySet.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "torch_version.h"

namespace codejudge::trainer {

namespace {

// x: [B, H, T, Dh]; cos/sin: [B or 1, 1, T, Dh/2]. Rotates the pairs (x[i], x[i + Dh/2]).
torch::Tensor apply_rope(const torch::Tensor& x, const torch::Tensor& cos,
                         const torch::Tensor& sin) {
  int64_t half = x.size(-1) / 2;
  torch::Tensor x1 = x.narrow(-1, 0, half);
  torch::Tensor x2 = x.narrow(-1, half, half);
  torch::Tensor c = cos.to(x.scalar_type());
  torch::Tensor s = sin.to(x.scalar_type());
  return torch::cat({x1 * c - x2 * s, x2 * c + x1 * s}, -1);
}

// q: [B, H, Tq, Dh]; k, v: [B, H, Tk, Dh]; mask: [B, 1, Tq, Tk] bool or undefined (then causal
// with Tq == Tk). Returns [B, H, Tq, Dh].
torch::Tensor attend(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                     const torch::Tensor& mask) {
#if CODEJUDGE_TORCH_AT_LEAST(2, 0)
  if (mask.defined()) return at::scaled_dot_product_attention(q, k, v, mask, 0.0, false);
  return at::scaled_dot_product_attention(q, k, v, {}, 0.0, true);
#else
  double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
  torch::Tensor scores = torch::matmul(q, k.transpose(-2, -1)) * scale;  // [B, H, Tq, Tk]
  torch::Tensor allowed = mask;
  if (!allowed.defined()) {
    int64_t t = q.size(2);
    allowed = torch::ones({t, t}, q.options().dtype(torch::kBool)).tril();
  }
  scores = scores.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
  torch::Tensor weights = torch::softmax(scores.to(torch::kFloat), -1).to(v.scalar_type());
  return torch::matmul(weights, v);
#endif
}

}  // namespace

std::string ModelConfig::validate() const {
  if (vocab_size < 2) return "vocab_size must be at least 2";
  if (n_layer < 1 || n_head < 1 || d_model < 1 || context < 2) {
    return "n_layer, n_head, d_model must be positive and context at least 2";
  }
  if (d_model % n_head != 0) {
    return "d_model " + std::to_string(d_model) + " is not a multiple of n_head " +
           std::to_string(n_head);
  }
  if (head_dim() % 2 != 0) return "d_model / n_head must be even (RoPE rotates pairs)";
  return "";
}

nlohmann::json ModelConfig::to_json() const {
  return {{"vocab_size", vocab_size}, {"n_layer", n_layer},   {"n_head", n_head},
          {"d_model", d_model},       {"d_ff", ff_dim()},     {"context", context},
          {"rope_theta", rope_theta}, {"norm_eps", norm_eps}, {"init_std", init_std}};
}

std::optional<ModelConfig> ModelConfig::from_json(const nlohmann::json& json, std::string* error) {
  ModelConfig config;
  try {
    config.vocab_size = json.at("vocab_size").get<int64_t>();
    config.n_layer = json.at("n_layer").get<int64_t>();
    config.n_head = json.at("n_head").get<int64_t>();
    config.d_model = json.at("d_model").get<int64_t>();
    config.d_ff = json.value("d_ff", int64_t{0});
    config.context = json.at("context").get<int64_t>();
    config.rope_theta = json.value("rope_theta", 10000.0);
    config.norm_eps = json.value("norm_eps", 1e-5);
    config.init_std = json.value("init_std", 0.02);
  } catch (const nlohmann::json::exception& e) {
    if (error) *error = std::string("model config: ") + e.what();
    return std::nullopt;
  }
  std::string invalid = config.validate();
  if (!invalid.empty()) {
    if (error) *error = "model config: " + invalid;
    return std::nullopt;
  }
  return config;
}

void KVCache::repeat_rows(int64_t times) {
  if (times == 1) return;
  for (auto& k : keys) k = k.repeat_interleave(times, 0);
  for (auto& v : values) v = v.repeat_interleave(times, 0);
  key_valid = key_valid.repeat_interleave(times, 0);
}

RMSNormImpl::RMSNormImpl(int64_t dim, double eps) : eps_(eps) {
  weight_ = register_parameter("weight", torch::ones({dim}));
}

torch::Tensor RMSNormImpl::forward(const torch::Tensor& x) {
  // Normalise in fp32 even under autocast: the mean of squares is where bf16 loses most.
  torch::Tensor xf = x.to(torch::kFloat);
  torch::Tensor normed = xf * torch::rsqrt(xf.pow(2).mean(-1, true) + eps_);
  return (normed * weight_).to(x.scalar_type());
}

BlockImpl::BlockImpl(const ModelConfig& config) : n_head_(config.n_head) {
  using torch::nn::LinearOptions;
  int64_t d = config.d_model;
  attn_norm_ = register_module("attn_norm", RMSNorm(d, config.norm_eps));
  qkv_ = register_module("qkv", torch::nn::Linear(LinearOptions(d, 3 * d).bias(false)));
  proj_ = register_module("proj", torch::nn::Linear(LinearOptions(d, d).bias(false)));
  mlp_norm_ = register_module("mlp_norm", RMSNorm(d, config.norm_eps));
  fc1_ = register_module("fc1", torch::nn::Linear(LinearOptions(d, config.ff_dim()).bias(false)));
  fc2_ = register_module("fc2", torch::nn::Linear(LinearOptions(config.ff_dim(), d).bias(false)));
}

torch::Tensor BlockImpl::forward(const torch::Tensor& x, const torch::Tensor& cos,
                                 const torch::Tensor& sin, const torch::Tensor& mask,
                                 KVCache* cache, size_t layer) {
  int64_t b = x.size(0), t = x.size(1), d = x.size(2);
  int64_t dh = d / n_head_;
  // [B, T, 3D] -> [B, T, 3, H, Dh] -> [3, B, H, T, Dh]
  torch::Tensor qkv = qkv_(attn_norm_(x)).view({b, t, 3, n_head_, dh}).permute({2, 0, 3, 1, 4});
  torch::Tensor q = apply_rope(qkv[0], cos, sin);  // [B, H, T, Dh]
  torch::Tensor k = apply_rope(qkv[1], cos, sin);  // [B, H, T, Dh]
  torch::Tensor v = qkv[2];                        // [B, H, T, Dh]
  if (cache != nullptr) {
    if (!cache->keys[layer].defined()) {
      cache->keys[layer] = torch::zeros({b, n_head_, cache->capacity, dh}, k.options());
      cache->values[layer] = torch::zeros({b, n_head_, cache->capacity, dh}, v.options());
    }
    int64_t start = cache->length;
    cache->keys[layer].narrow(2, start, t).copy_(k);
    cache->values[layer].narrow(2, start, t).copy_(v);
    k = cache->keys[layer].narrow(2, 0, start + t);  // [B, H, K, Dh], K = start + T
    v = cache->values[layer].narrow(2, 0, start + t);
  }
  torch::Tensor y = attend(q, k, v, mask);   // [B, H, T, Dh]
  y = y.transpose(1, 2).reshape({b, t, d});  // [B, T, D]
  torch::Tensor h = x + proj_(y);
  return h + fc2_(torch::gelu(fc1_(mlp_norm_(h))));  // [B, T, D]
}

TransformerImpl::TransformerImpl(const ModelConfig& config) : config_(config) {
  tok_emb_ = register_module("tok_emb", torch::nn::Embedding(config.vocab_size, config.d_model));
  blocks_ = register_module("blocks", torch::nn::ModuleList());
  for (int64_t i = 0; i < config.n_layer; ++i) blocks_->push_back(Block(config));
  norm_ = register_module("norm", RMSNorm(config.d_model, config.norm_eps));
  // RoPE tables: angle[p, i] = p * theta^(-2i / Dh), for p < context and i < Dh/2.
  int64_t half = config.head_dim() / 2;
  torch::Tensor inv_freq =
      torch::pow(config.rope_theta, -torch::arange(0, half, torch::kDouble) * 2.0 /
                                        static_cast<double>(config.head_dim()));
  torch::Tensor angles =
      torch::outer(torch::arange(0, config.context, torch::kDouble), inv_freq);  // [context, Dh/2]
  rope_cos_ = register_buffer("rope_cos", angles.cos().to(torch::kFloat));
  rope_sin_ = register_buffer("rope_sin", angles.sin().to(torch::kFloat));
  reset_weights();
}

void TransformerImpl::reset_weights() {
  torch::NoGradGuard no_grad;
  double out_std = config_.init_std / std::sqrt(2.0 * static_cast<double>(config_.n_layer));
  for (auto& item : named_parameters()) {
    const std::string& name = item.key();
    torch::Tensor& p = item.value();
    if (p.dim() == 1) {
      p.fill_(1.0);  // norm weights
    } else if (name.find(".proj.") != std::string::npos ||
               name.find(".fc2.") != std::string::npos) {
      p.normal_(0.0, out_std);  // layers that write into the residual stream
    } else {
      p.normal_(0.0, config_.init_std);
    }
  }
}

int64_t TransformerImpl::parameter_count() {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

torch::Tensor TransformerImpl::head(const torch::Tensor& x) {
  // fp32 even under autocast: bf16 logits would round every log-probability the loss and the
  // sampler use. With V = 264 this matmul is a small share of the model.
  c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::autocast_dispatch_keyset);
  torch::Tensor h = norm_(x).to(torch::kFloat);
  return torch::matmul(h, tok_emb_->weight.t());  // [B, T, V], tied to the embedding
}

torch::Tensor TransformerImpl::forward(const torch::Tensor& tokens) {
  int64_t t = tokens.size(1);
  TORCH_CHECK(t <= config_.context, "sequence of ", t, " tokens exceeds the context ",
              config_.context);
  torch::Tensor x = tok_emb_(tokens);  // [B, T, D]
  torch::Tensor cos = rope_cos_.narrow(0, 0, t).view({1, 1, t, -1});
  torch::Tensor sin = rope_sin_.narrow(0, 0, t).view({1, 1, t, -1});
  for (size_t i = 0; i < blocks_->size(); ++i) {
    x = blocks_[i]->as<BlockImpl>()->forward(x, cos, sin, torch::Tensor(), nullptr, i);
  }
  return head(x);
}

torch::Tensor TransformerImpl::forward_cached(const torch::Tensor& tokens,
                                              const torch::Tensor& positions,
                                              const torch::Tensor& valid, KVCache& cache) {
  int64_t b = tokens.size(0), t = tokens.size(1);
  int64_t start = cache.length;
  TORCH_CHECK(start + t <= cache.capacity, "KV cache full: ", start, " + ", t, " > ",
              cache.capacity);
  cache.key_valid.narrow(1, start, t).copy_(valid);
  int64_t k_len = start + t;
  // allowed[b, 0, q, k]: key k is at or before query q (at absolute position start + q) and is
  // not padding; a padding query still sees itself so its row never softmaxes over nothing.
  torch::Tensor q_index = torch::arange(start, k_len, tokens.options()).view({t, 1});
  torch::Tensor k_index = torch::arange(0, k_len, tokens.options()).view({1, k_len});
  torch::Tensor causal = k_index.le(q_index);  // [T, K]
  torch::Tensor self = k_index.eq(q_index);    // [T, K]
  torch::Tensor key_ok = cache.key_valid.narrow(1, 0, k_len).view({b, 1, 1, k_len});
  torch::Tensor mask = causal.view({1, 1, t, k_len}).logical_and(key_ok.logical_or(self));
  torch::Tensor flat = positions.reshape({-1});
  torch::Tensor cos = rope_cos_.index_select(0, flat).view({b, 1, t, -1});  // [B, 1, T, Dh/2]
  torch::Tensor sin = rope_sin_.index_select(0, flat).view({b, 1, t, -1});
  torch::Tensor x = tok_emb_(tokens);  // [B, T, D]
  for (size_t i = 0; i < blocks_->size(); ++i) {
    x = blocks_[i]->as<BlockImpl>()->forward(x, cos, sin, mask, &cache, i);
  }
  cache.length = k_len;
  return head(x);
}

KVCache TransformerImpl::make_cache(int64_t batch, int64_t capacity) const {
  KVCache cache;
  cache.capacity = capacity;
  cache.keys.resize(static_cast<size_t>(config_.n_layer));
  cache.values.resize(static_cast<size_t>(config_.n_layer));
  cache.key_valid = torch::zeros({batch, cache.capacity}, rope_cos_.options().dtype(torch::kBool));
  return cache;
}

std::optional<torch::Device> parse_device(const std::string& name, std::string* error) {
  if (name == "auto" || name.empty()) {
    return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0)
                                       : torch::Device(torch::kCPU);
  }
  try {
    torch::Device device(name);
    if (device.is_cuda() && !torch::cuda::is_available()) {
      if (error) *error = "device " + name + ": CUDA is not available in this build or host";
      return std::nullopt;
    }
    return device;
  } catch (const c10::Error&) {
    if (error) *error = "device '" + name + "': expected cpu, cuda, cuda:N or auto";
    return std::nullopt;
  }
}

namespace {

bool autocast_enabled() {
#if CODEJUDGE_TORCH_AT_LEAST(2, 4)
  return at::autocast::is_autocast_enabled(at::kCUDA);
#else
  return at::autocast::is_enabled();
#endif
}

void set_autocast(bool enabled) {
#if CODEJUDGE_TORCH_AT_LEAST(2, 4)
  at::autocast::set_autocast_enabled(at::kCUDA, enabled);
  if (enabled) at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
#else
  at::autocast::set_enabled(enabled);
  if (enabled) at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
#endif
}

}  // namespace

AutocastGuard::AutocastGuard(bool enabled) {
  previous_ = autocast_enabled();
  // Nothing to do when autocast is off and stays off (always the case on CPU).
  active_ = enabled || previous_;
  if (!active_) return;
  set_autocast(enabled);
  at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard() {
  if (!active_) return;
  // The cast cache holds bf16 copies of the weights: drop it with the outermost guard, or the
  // next step would use copies of weights the optimizer has since changed.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_autocast(previous_);
}

const char* attention_backend() {
#if CODEJUDGE_TORCH_AT_LEAST(2, 0)
  return "sdpa";
#else
  return "manual";
#endif
}

}  // namespace codejudge::trainer
