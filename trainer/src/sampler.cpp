#include "codejudge/trainer/sampler.h"

#include <algorithm>
#include <limits>

#include "codejudge/trainer/tokenizer.h"

namespace codejudge::trainer {

torch::Tensor filter_logits(const torch::Tensor& logits, int64_t top_k, double top_p) {
  constexpr float kNegInf = -std::numeric_limits<float>::infinity();
  torch::Tensor out = logits;
  int64_t vocab = logits.size(-1);
  if (top_k > 0 && top_k < vocab) {
    torch::Tensor kth = std::get<0>(out.topk(top_k, -1)).narrow(-1, top_k - 1, 1);  // [N, 1]
    out = out.masked_fill(out.lt(kth), kNegInf);
  }
  if (top_p < 1.0) {
    auto [sorted, order] = out.sort(-1, /*descending=*/true);  // [N, V] each
    torch::Tensor probs = torch::softmax(sorted, -1);
    // Drop a token when the tokens before it already hold top_p of the mass.
    torch::Tensor drop_sorted = (probs.cumsum(-1) - probs).gt(top_p);
    torch::Tensor drop = torch::zeros_like(drop_sorted).scatter(-1, order, drop_sorted);
    out = out.masked_fill(drop, kNegInf);
  }
  return out;
}

torch::Tensor sample_tokens(const torch::Tensor& logits, const SamplingOptions& options) {
  torch::Tensor l = logits.to(torch::kFloat);
  if (options.temperature <= 0.0) return l.argmax(-1);
  l = filter_logits(l / options.temperature, options.top_k, options.top_p);
  torch::Tensor probs = torch::softmax(l, -1);  // [N, V]
  // The floor keeps p / E finite (and 0 for filtered tokens) should E ever be drawn as 0.
  torch::Tensor race = torch::empty_like(probs).exponential_(1.0).clamp_min_(1e-30);
  return (probs / race).argmax(-1);  // [N]
}

Generation generate(Transformer& model, const std::vector<std::vector<int64_t>>& prompts,
                    int64_t group_size, const SamplingOptions& options, bool autocast) {
  torch::NoGradGuard no_grad;
  // One guard for the whole generation: the weights are cast to bf16 once, not at every token.
  AutocastGuard autocast_guard(autocast);
  Generation out;
  int64_t p = static_cast<int64_t>(prompts.size());
  int64_t n = p * group_size;
  if (p == 0 || group_size <= 0 || options.max_new_tokens <= 0) return out;
  torch::Device device = model->parameters().front().device();
  int64_t context = model->config().context;
  int64_t prompt_len = 0, shortest = context;
  for (const auto& prompt : prompts) {
    auto len = static_cast<int64_t>(prompt.size());
    TORCH_CHECK(len > 0 && len < context, "a prompt of ", len, " tokens leaves no room in the ",
                context, "-token context");
    prompt_len = std::max(prompt_len, len);
    shortest = std::min(shortest, len);
    out.prompt_tokens += len;
  }
  // Each row may add up to max_new_tokens, but no more than its own prompt leaves of the
  // context. The loop runs as long as the row with the most room may need.
  int64_t max_new = std::min(options.max_new_tokens, context - shortest);

  // Left padding so every prompt ends at column prompt_len - 1; positions restart at 0 after
  // the padding, so a padded prompt sees the same rotary angles as an unpadded one.
  torch::Tensor tokens = torch::full({p, prompt_len}, Tokenizer::kPad, torch::kLong);
  torch::Tensor valid = torch::zeros({p, prompt_len}, torch::kBool);
  torch::Tensor positions = torch::zeros({p, prompt_len}, torch::kLong);
  std::vector<int64_t> lengths, limits;  // per prompt: its length, its most new tokens
  {
    auto tok = tokens.accessor<int64_t, 2>();
    auto val = valid.accessor<bool, 2>();
    auto pos = positions.accessor<int64_t, 2>();
    for (int64_t i = 0; i < p; ++i) {
      const auto& prompt = prompts[static_cast<size_t>(i)];
      auto len = static_cast<int64_t>(prompt.size());
      int64_t pad = prompt_len - len;
      for (int64_t j = 0; j < len; ++j) {
        tok[i][pad + j] = prompt[static_cast<size_t>(j)];
        val[i][pad + j] = true;
        pos[i][pad + j] = j;
      }
      lengths.push_back(len);
      limits.push_back(std::min(options.max_new_tokens, context - len));
    }
  }

  // Columns: the padded prompts, then one per decode step (the cache may hold more columns
  // than the context; no row's positions pass it).
  KVCache cache = model->make_cache(p, prompt_len + max_new);
  torch::Tensor logits =
      model->forward_cached(tokens.to(device), positions.to(device), valid.to(device), cache);
  torch::Tensor last = logits.select(1, prompt_len - 1);  // [P, V]
  cache.repeat_rows(group_size);
  last = last.repeat_interleave(group_size, 0);  // [N, V]
  torch::Tensor next_pos =
      torch::tensor(lengths, torch::kLong).repeat_interleave(group_size).to(device);  // [N]
  torch::Tensor limit =
      torch::tensor(limits, torch::kLong).repeat_interleave(group_size).to(device);  // [N]
  torch::Tensor done = torch::zeros({n}, torch::TensorOptions(torch::kBool).device(device));
  torch::Tensor ones = torch::ones({n, 1}, torch::TensorOptions(torch::kBool).device(device));
  // PAD, BOS and the unused ids are never generated.
  std::vector<int64_t> banned_ids = {Tokenizer::kPad, Tokenizer::kBos};
  for (int64_t id = Tokenizer::kFence + 1; id < model->config().vocab_size; ++id) {
    banned_ids.push_back(id);
  }
  torch::Tensor banned = torch::tensor(banned_ids, torch::kLong).to(device);
  std::vector<torch::Tensor> steps;  // each [N]: the token sampled, PAD once a row is done
  for (int64_t step = 0; step < max_new; ++step) {
    torch::Tensor token =
        sample_tokens(last.index_fill(1, banned, -std::numeric_limits<float>::infinity()), options);
    token = token.masked_fill(done, Tokenizer::kPad);
    steps.push_back(token);
    // A row ends at EOS or when it has used its own share of the context.
    done = done.logical_or(token.eq(Tokenizer::kEos)).logical_or(limit.le(step + 1));
    if (step + 1 == max_new) break;
    // The one host sync of the loop: stop early once every row is done.
    if (step % kEndCheckInterval == kEndCheckInterval - 1 && done.all().item<bool>()) break;
    // Finished rows keep feeding PAD; their positions are held inside the rotary table.
    last = model
               ->forward_cached(token.view({n, 1}), next_pos.clamp_max(context - 1).view({n, 1}),
                                ones, cache)
               .select(1, 0);
    next_pos = next_pos + 1;
  }

  out.decode_steps = static_cast<int64_t>(steps.size());
  torch::Tensor all = steps.empty() ? torch::zeros({n, 0}, torch::kLong)
                                    : torch::stack(steps, 1).to(torch::kCPU);  // [N, steps]
  auto acc = all.accessor<int64_t, 2>();
  out.completions.resize(static_cast<size_t>(n));
  out.finished.resize(static_cast<size_t>(n));
  for (int64_t r = 0; r < n; ++r) {
    auto& completion = out.completions[static_cast<size_t>(r)];
    for (int64_t s = 0; s < all.size(1); ++s) {
      int64_t token = acc[r][s];
      if (token == Tokenizer::kPad) break;
      completion.push_back(token);
      if (token == Tokenizer::kEos) {
        out.finished[static_cast<size_t>(r)] = true;
        break;
      }
    }
    out.generated_tokens += static_cast<int64_t>(completion.size());
  }
  return out;
}

}  // namespace codejudge::trainer
