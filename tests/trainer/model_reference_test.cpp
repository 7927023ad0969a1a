// The C++ model against the PyTorch reference (tests/trainer/reference.py on the same weights):
// logits, loss and every gradient. Then the KV-cache path against the plain forward: incremental
// decoding, left padding, and groups sharing one prefill.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "codejudge/trainer/grpo.h"
#include "codejudge/trainer/model.h"
#include "codejudge/trainer/sampler.h"
#include "codejudge/trainer/tensor_io.h"
#include "codejudge/trainer/tokenizer.h"

namespace codejudge::trainer {
namespace {

namespace fs = std::filesystem;

ModelConfig tiny_config() {
  ModelConfig c;
  c.n_layer = 2;
  c.n_head = 4;
  c.d_model = 64;
  c.context = 64;
  c.init_std = 0.1;  // larger than training's, so the logits are far from uniform
  return c;
}

// Norm weights away from 1, so their gradients are exercised too.
void perturb_norms(Transformer& model) {
  torch::NoGradGuard no_grad;
  for (auto& p : model->parameters()) {
    if (p.dim() == 1) p.add_(torch::randn_like(p) * 0.2);
  }
}

// A python3 that can import torch: $CODEJUDGE_PYTHON, Debian's /usr/bin/python3, or python3.
std::string find_python() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("CODEJUDGE_PYTHON")) candidates.push_back(env);
  candidates.push_back("/usr/bin/python3");
  candidates.push_back("python3");
  for (const std::string& p : candidates) {
    std::string command = p + " -c 'import torch' >/dev/null 2>&1";
    if (std::system(command.c_str()) == 0) return p;
  }
  return "";
}

struct TempDir {
  TempDir() {
    char pattern[] = "/tmp/codejudge-trainer-ref-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string path;
};

void expect_close(const torch::Tensor& actual, const torch::Tensor& expected, double rtol,
                  double atol, const std::string& what) {
  ASSERT_EQ(actual.sizes(), expected.sizes()) << what;
  double max_diff = (actual - expected).abs().max().item<double>();
  double scale = expected.abs().max().item<double>();
  EXPECT_TRUE(torch::allclose(actual, expected, rtol, atol))
      << what << ": max |diff| " << max_diff << " (max |value| " << scale << ")";
}

// Runs tests/trainer/reference.py on `in` (the model's config and weights are added) and
// returns its output bundle; fails the test when the script does.
std::optional<TensorBundle> run_reference(const std::string& python, Transformer& model,
                                          TensorBundle in) {
  TempDir dir;
  in.meta["model"] = model->config().to_json();
  for (const auto& item : model->named_parameters())
    in.tensors["param." + item.key()] = item.value();
  std::string error;
  EXPECT_TRUE(save_tensor_bundle(dir.path + "/in.bin", in, &error)) << error;
  std::string script = std::string(CODEJUDGE_SOURCE_DIR) + "/tests/trainer/reference.py";
  std::string command = python + " " + script + " " + dir.path + "/in.bin " + dir.path +
                        "/out.bin 2>" + dir.path + "/stderr.txt";
  int rc = std::system(command.c_str());
  if (rc != 0) {
    ADD_FAILURE() << "reference.py failed: " << command;
    return std::nullopt;
  }
  auto out = load_tensor_bundle(dir.path + "/out.bin", &error);
  EXPECT_TRUE(out) << error;
  return out;
}

// Every parameter's gradient against the reference's.
void expect_gradients_match(Transformer& model, const TensorBundle& out) {
  size_t checked = 0;
  for (const auto& item : model->named_parameters()) {
    ASSERT_TRUE(item.value().grad().defined()) << item.key();
    expect_close(item.value().grad(), out.tensors.at("grad." + item.key()), 1e-3, 1e-6,
                 "grad " + item.key());
    ++checked;
  }
  // Embedding, and per layer 2 norms + qkv + proj + fc1 + fc2, and the final norm.
  EXPECT_EQ(checked, 1u + 6u * 2u + 1u);
}

TEST(ModelReference, LogitsLossAndGradientsMatchPyTorch) {
  std::string python = find_python();
  if (python.empty()) {
    GTEST_SKIP() << "no python3 with torch (install python3-torch or set CODEJUDGE_PYTHON)";
  }
  torch::manual_seed(1234);
  Transformer model(tiny_config());
  perturb_norms(model);
  const int64_t b = 3, t = 24;
  torch::Tensor tokens = torch::randint(0, Tokenizer::kVocabSize, {b, t}, torch::kLong);
  torch::Tensor targets = torch::randint(0, Tokenizer::kVocabSize, {b, t}, torch::kLong);
  torch::Tensor mask = (torch::rand({b, t}) > 0.3).to(torch::kFloat);

  torch::Tensor logits = model->forward(tokens);  // [B, T, V]
  EXPECT_EQ(logits.scalar_type(), torch::kFloat);
  torch::Tensor logp = token_log_probs(logits, targets);
  torch::Tensor loss = -(logp * mask).sum() / mask.sum();
  loss.backward();

  TensorBundle in;
  in.tensors["tokens"] = tokens;
  in.tensors["targets"] = targets;
  in.tensors["mask"] = mask;
  auto out = run_reference(python, model, in);
  ASSERT_TRUE(out);
  expect_close(logits.detach(), out->tensors.at("logits"), 1e-4, 1e-5, "logits");
  EXPECT_NEAR(loss.item<double>(), out->tensors.at("loss").item<double>(), 1e-5);
  expect_gradients_match(model, *out);
  // The comparison can fail: a small change to one weight moves the logits past the tolerance.
  {
    torch::NoGradGuard no_grad;
    model->named_parameters()["blocks.1.fc2.weight"].add_(0.01);
    torch::Tensor changed = model->forward(tokens);
    EXPECT_FALSE(torch::allclose(changed, out->tensors.at("logits"), 1e-4, 1e-5));
  }
}

TEST(ModelReference, GrpoLossAtATemperatureMatchesPyTorch) {
  std::string python = find_python();
  if (python.empty()) {
    GTEST_SKIP() << "no python3 with torch (install python3-torch or set CODEJUDGE_PYTHON)";
  }
  torch::manual_seed(4321);
  Transformer model(tiny_config());
  perturb_norms(model);
  const int64_t b = 4, t = 16;
  const double temperature = 0.7;
  torch::Tensor tokens = torch::randint(0, Tokenizer::kVocabSize, {b, t}, torch::kLong);
  torch::Tensor targets = torch::randint(0, Tokenizer::kVocabSize, {b, t}, torch::kLong);
  torch::Tensor mask = (torch::rand({b, t}) > 0.25).to(torch::kFloat);
  torch::Tensor logits = model->forward(tokens);
  torch::Tensor logp = token_log_probs(logits, targets, temperature);  // [B, T]
  // Old and reference policies near the current one, so the ratios (0.2 to 4.5) cross both clip
  // bounds and the dual clip; two tokens far off exercise the clamps.
  torch::Tensor old_logp = logp.detach() + (torch::rand({b, t}) * 3.0 - 1.5);
  old_logp[0][1] = logp[0][1].item<float>() - 30.0f;
  old_logp[1][2] = logp[1][2].item<float>() + 30.0f;
  torch::Tensor ref_logp = logp.detach() + (torch::rand({b, t}) - 0.5);
  torch::Tensor advantages = torch::tensor({1.5f, -2.0f, 0.5f, -0.7f});
  torch::Tensor weights = token_weights(mask, LossAggregation::kDapo, t);
  PolicyLossOptions options;
  options.beta = 0.04;
  PolicyLoss pl = policy_loss(logp, old_logp, ref_logp, advantages, mask, weights, options);
  pl.loss.backward();
  EXPECT_GT(pl.clip_fraction.item<double>(), 0.0);
  EXPECT_GT(pl.dual_clip_fraction.item<double>(), 0.0);

  TensorBundle in;
  in.meta["rl"] = {{"temperature", temperature},
                   {"eps_low", options.eps_low},
                   {"eps_high", options.eps_high},
                   {"clip_c", options.clip_c},
                   {"beta", options.beta}};
  in.tensors["tokens"] = tokens;
  in.tensors["targets"] = targets;
  in.tensors["mask"] = mask;
  in.tensors["old_logp"] = old_logp;
  in.tensors["ref_logp"] = ref_logp;
  in.tensors["advantages"] = advantages;
  in.tensors["weights"] = weights;
  auto out = run_reference(python, model, in);
  ASSERT_TRUE(out);
  EXPECT_NEAR(pl.loss.item<double>(), out->tensors.at("loss").item<double>(), 1e-5);
  expect_gradients_match(model, *out);
}

TEST(ModelCache, IncrementalDecodingMatchesFullForward) {
  torch::manual_seed(7);
  Transformer model(tiny_config());
  perturb_norms(model);
  torch::NoGradGuard no_grad;
  const int64_t t = 20, prefill = 8;
  torch::Tensor tokens = torch::randint(0, 256, {2, t}, torch::kLong);
  torch::Tensor full = model->forward(tokens);  // [2, T, V]

  KVCache cache = model->make_cache(2, t);
  torch::Tensor positions = torch::arange(t, torch::kLong).repeat({2, 1});
  torch::Tensor valid = torch::ones({2, t}, torch::kBool);
  torch::Tensor first =
      model->forward_cached(tokens.narrow(1, 0, prefill), positions.narrow(1, 0, prefill),
                            valid.narrow(1, 0, prefill), cache);
  expect_close(first, full.narrow(1, 0, prefill), 1e-4, 1e-5, "prefill logits");
  for (int64_t i = prefill; i < t; ++i) {
    torch::Tensor step = model->forward_cached(tokens.narrow(1, i, 1), positions.narrow(1, i, 1),
                                               valid.narrow(1, i, 1), cache);
    expect_close(step, full.narrow(1, i, 1), 1e-4, 1e-5, "decode step " + std::to_string(i));
  }
  EXPECT_EQ(cache.length, t);
}

TEST(ModelCache, LeftPaddingDoesNotChangeLogits) {
  torch::manual_seed(8);
  Transformer model(tiny_config());
  torch::NoGradGuard no_grad;
  torch::Tensor a = torch::randint(0, 256, {1, 12}, torch::kLong);
  torch::Tensor b = torch::randint(0, 256, {1, 5}, torch::kLong);
  torch::Tensor alone_a = model->forward(a).select(1, 11);  // [1, V]
  torch::Tensor alone_b = model->forward(b).select(1, 4);
  // One batch, b left-padded by 7 with positions restarting at 0 after the padding.
  torch::Tensor tokens = torch::full({2, 12}, Tokenizer::kPad, torch::kLong);
  tokens[0] = a[0];
  tokens[1].narrow(0, 7, 5).copy_(b[0]);
  torch::Tensor valid = torch::ones({2, 12}, torch::kBool);
  valid[1].narrow(0, 0, 7).fill_(false);
  torch::Tensor positions = torch::zeros({2, 12}, torch::kLong);
  positions[0] = torch::arange(12, torch::kLong);
  positions[1].narrow(0, 7, 5).copy_(torch::arange(5, torch::kLong));
  KVCache cache = model->make_cache(2, 16);
  torch::Tensor last = model->forward_cached(tokens, positions, valid, cache).select(1, 11);
  EXPECT_FALSE(torch::isnan(last).any().item<bool>());
  expect_close(last.narrow(0, 0, 1), alone_a, 1e-4, 1e-5, "unpadded row");
  expect_close(last.narrow(0, 1, 1), alone_b, 1e-4, 1e-5, "left-padded row");
}

TEST(Sampler, GreedyGroupsShareThePrefillAndMatchTeacherForcing) {
  torch::manual_seed(9);
  Transformer model(tiny_config());
  std::vector<std::vector<int64_t>> prompts = {{Tokenizer::kBos, 10, 20, 30, 40, 50, 60},
                                               {Tokenizer::kBos, 70, 80}};
  SamplingOptions greedy;
  greedy.temperature = 0.0;
  greedy.max_new_tokens = 12;
  Generation grouped = generate(model, prompts, 3, greedy, false);
  ASSERT_EQ(grouped.completions.size(), 6u);
  EXPECT_EQ(grouped.prompt_tokens, 7 + 3);  // each distinct prompt prefilled once
  for (size_t p = 0; p < prompts.size(); ++p) {
    Generation single = generate(model, {prompts[p]}, 1, greedy, false);
    for (size_t j = 0; j < 3; ++j) {
      EXPECT_EQ(grouped.completions[p * 3 + j], single.completions[0]) << "prompt " << p;
    }
    // Teacher forcing over prompt + completion predicts each generated token again.
    std::vector<int64_t> seq = prompts[p];
    const auto& completion = single.completions[0];
    ASSERT_FALSE(completion.empty());
    seq.insert(seq.end(), completion.begin(), completion.end());
    torch::NoGradGuard no_grad;
    torch::Tensor logits = model->forward(torch::tensor(seq).view({1, -1}));
    for (size_t i = 0; i < completion.size(); ++i) {
      torch::Tensor row = logits[0][static_cast<int64_t>(prompts[p].size() + i - 1)].clone();
      row[Tokenizer::kPad] = -1e9;  // the sampler never emits these
      row[Tokenizer::kBos] = -1e9;
      row[263] = -1e9;
      EXPECT_EQ(row.argmax().item<int64_t>(), completion[i]) << "prompt " << p << " token " << i;
    }
  }
}

// Blocks that add nothing and embeddings all along one axis, `favoured`'s five times longer: the
// tied output layer then puts nearly all probability on `favoured`.
Transformer model_that_says(int64_t favoured, ModelConfig c) {
  Transformer model(c);
  torch::NoGradGuard no_grad;
  for (auto& p : model->parameters()) {
    if (p.dim() == 2) p.zero_();
  }
  torch::Tensor emb = model->named_parameters()["tok_emb.weight"];
  emb.select(1, 0).fill_(1.0);
  emb[favoured][0] = 5.0;
  return model;
}

TEST(Sampler, EachRowHasItsOwnLengthLimit) {
  // Context 64, no EOS ever: the 50-token prompt may add 14 tokens, the 10-token one all 30
  // asked for, although they share a batch (and the cache holds more columns than the context).
  Transformer model = model_that_says('a', tiny_config());
  std::vector<int64_t> long_prompt(50, 'x'), short_prompt(10, 'y');
  long_prompt[0] = short_prompt[0] = Tokenizer::kBos;
  SamplingOptions greedy;
  greedy.temperature = 0.0;
  greedy.max_new_tokens = 30;
  Generation gen = generate(model, {long_prompt, short_prompt}, 2, greedy, false);
  ASSERT_EQ(gen.completions.size(), 4u);
  for (size_t r = 0; r < 4; ++r) {
    size_t expected = r < 2 ? 14u : 30u;
    EXPECT_EQ(gen.completions[r].size(), expected) << "row " << r;
    EXPECT_FALSE(gen.finished[r]);
    for (int64_t token : gen.completions[r]) EXPECT_EQ(token, 'a');
  }
  EXPECT_EQ(gen.decode_steps, 30);
  // A prompt that fills the context is refused, not silently cut.
  std::vector<int64_t> too_long(64, 'x');
  EXPECT_THROW(generate(model, {too_long}, 1, greedy, false), c10::Error);
}

TEST(Sampler, StopsAtEosAndNeverEmitsSpecialPadding) {
  torch::manual_seed(10);
  Transformer model = model_that_says(Tokenizer::kEos, tiny_config());
  SamplingOptions sampling;
  sampling.max_new_tokens = 30;
  Generation gen = generate(model, {{Tokenizer::kBos, 65, 66}}, 4, sampling, false);
  for (size_t r = 0; r < gen.completions.size(); ++r) {
    const auto& c_tokens = gen.completions[r];
    ASSERT_FALSE(c_tokens.empty());
    for (int64_t token : c_tokens) {
      EXPECT_NE(token, Tokenizer::kPad);
      EXPECT_NE(token, Tokenizer::kBos);
    }
    if (gen.finished[r]) {
      EXPECT_EQ(c_tokens.back(), Tokenizer::kEos);
    }
  }
  EXPECT_EQ(std::count(gen.finished.begin(), gen.finished.end(), true), 4);
}

}  // namespace
}  // namespace codejudge::trainer
