// Small pieces with hand-computed answers: tokenizer, prompts and targets, GRPO advantages,
// token weights and the clipped loss with KL, top-k/top-p, pass@k, tensor files.
#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "codejudge/judges/rewards.h"
#include "codejudge/trainer/grpo.h"
#include "codejudge/trainer/prompt.h"
#include "codejudge/trainer/sampler.h"
#include "codejudge/trainer/tensor_io.h"
#include "codejudge/trainer/tokenizer.h"
#include "codejudge/trainer/trainer.h"

namespace codejudge::trainer {
namespace {

constexpr double kEps = 1e-4;  // compute_advantages' default

TEST(Tokenizer, MarkersAreSingleTokensAndTextRoundTrips) {
  std::string text = "<think>a</think>\n```python\nx=1\n```";
  std::vector<int64_t> tokens = Tokenizer::encode(text);
  std::vector<int64_t> expected = {Tokenizer::kThinkOpen,
                                   'a',
                                   Tokenizer::kThinkClose,
                                   '\n',
                                   Tokenizer::kFenceOpen,
                                   'x',
                                   '=',
                                   '1',
                                   '\n',
                                   Tokenizer::kFence};
  EXPECT_EQ(tokens, expected);
  EXPECT_EQ(Tokenizer::decode(tokens), text);
  // Partial markers and any bytes stay bytes.
  std::string odd = "<thin ``` `` \xff\x00z";
  odd.push_back('\0');
  EXPECT_EQ(Tokenizer::decode(Tokenizer::encode(odd)), odd);
  EXPECT_EQ(Tokenizer::encode("``").size(), 2u);
  // Decoding stops at EOS and drops PAD/BOS.
  EXPECT_EQ(Tokenizer::decode({Tokenizer::kBos, 'h', 'i', Tokenizer::kEos, 'x'}), "hi");
  EXPECT_EQ(Tokenizer::decode({'h', Tokenizer::kEos, 'x'}, false), "hx");
  EXPECT_EQ(Tokenizer::decode({'a', Tokenizer::kPad, 'b'}), "ab");
}

problems::Problem add_problem() {
  problems::Problem p;
  p.id = "t/add7";
  p.title = "Add 7";
  p.statement = "Return x plus 7.";
  p.mode = problems::Mode::kFunction;
  p.entry_point = "add_7";
  p.signature.params = {{"x", "int"}};
  p.signature.returns = "int";
  p.tests = {{"[3]", "10", ""}, {"[-7]", "0", ""}, {"[100]", "107", ""}};
  p.public_tests = 2;
  p.reference["python"] = "def add_7(x: int) -> int:\n    return x + 7\n";
  return p;
}

TEST(Prompt, FunctionProblemShowsSignatureAndPublicExamplesOnly) {
  problems::Problem p = add_problem();
  std::string prompt = format_prompt(p, PromptOptions{});
  EXPECT_EQ(prompt,
            "Return x plus 7.\ndef add_7(x: int) -> int\n>>> add_7(3)\n10\n>>> add_7(-7)\n0\n");
  EXPECT_EQ(prompt.find("107"), std::string::npos);  // hidden test stays hidden
  EXPECT_EQ(format_prompt(p, PromptOptions{1}).find("-7"), std::string::npos);
  std::vector<int64_t> tokens = prompt_tokens(p, PromptOptions{});
  EXPECT_EQ(tokens.front(), Tokenizer::kBos);
  EXPECT_EQ(Tokenizer::decode(tokens), prompt);
}

TEST(Prompt, TargetHasTheRewardedShape) {
  problems::Problem p = add_problem();
  std::string target = format_target(p);
  EXPECT_EQ(judges::format_reward(target, judges::FormatOptions{}), 1.0);
  judges::ExtractOptions extract;
  extract.language = "python";
  auto code = judges::extract_code(target, extract);
  ASSERT_TRUE(code);
  EXPECT_EQ(*code + "\n", p.reference["python"]);  // the block's text without its last newline
  std::vector<int64_t> tokens = target_tokens(p);
  EXPECT_EQ(tokens.back(), Tokenizer::kEos);
  EXPECT_EQ(tokens.front(), Tokenizer::kThinkOpen);
  p.reference.clear();
  EXPECT_TRUE(format_target(p).empty());
  EXPECT_TRUE(target_tokens(p).empty());
}

TEST(Prompt, PythonLiterals) {
  nlohmann::json v = nlohmann::json::parse(R"([true, null, "a\"b", 1.5, [false], {"k": 2}])");
  EXPECT_EQ(python_literal(v), R"([True, None, "a\"b", 1.5, [False], {"k": 2}])");
}

torch::Tensor floats(std::vector<float> v) {
  return torch::tensor(v);
}
torch::Tensor bools(std::vector<int64_t> v) {
  return torch::tensor(v).to(torch::kBool);
}

TEST(Grpo, GroupAdvantagesUseValidSamplesOnly) {
  // Group 0: plain. Group 1: one IE (its reward value is ignored). Group 2: all equal.
  // Group 3: a single valid sample.
  torch::Tensor r = floats({1, 0, 0, 1, 2, 99, 0, 1, 0.1f, 0.1f, 0.1f, 0.1f, 5, 0, 0, 0});
  torch::Tensor v = bools({1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0});
  torch::Tensor a = compute_advantages(r, v, 4, AdvantageNorm::kGroup);
  double s0 = std::sqrt(1.0 / 3.0);  // sample std of {1, 0, 0, 1}
  double a0 = 0.5 / (s0 + kEps);
  std::vector<double> expected = {a0,
                                  -a0,
                                  -a0,
                                  a0,
                                  1 / (1 + kEps),
                                  0,
                                  -1 / (1 + kEps),
                                  0,  // mean 1, std 1
                                  0,
                                  0,
                                  0,
                                  0,
                                  0,
                                  0,
                                  0,
                                  0};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(a[static_cast<int64_t>(i)].item<double>(), expected[i], 1e-5) << i;
  }
  torch::Tensor zero = zero_variance_groups(r, v, 4);
  EXPECT_EQ(zero[0].item<bool>(), false);
  EXPECT_EQ(zero[1].item<bool>(), false);
  EXPECT_EQ(zero[2].item<bool>(), true);
  EXPECT_EQ(zero[3].item<bool>(), true);
}

TEST(Grpo, BatchAndNoNormalisation) {
  torch::Tensor r = floats({1, 0, 0, 1, 3, 1, 2, 2});
  torch::Tensor v = bools({1, 1, 1, 1, 1, 1, 1, 0});
  // Batch std over the seven valid rewards {1,0,0,1,3,1,2}: mean 8/7.
  double mean = 8.0 / 7.0, sq = 0;
  for (double x : {1.0, 0.0, 0.0, 1.0, 3.0, 1.0, 2.0}) sq += (x - mean) * (x - mean);
  double batch_std = std::sqrt(sq / 6.0);
  torch::Tensor batch = compute_advantages(r, v, 4, AdvantageNorm::kBatch);
  torch::Tensor none = compute_advantages(r, v, 4, AdvantageNorm::kNone);
  std::vector<double> centered = {0.5, -0.5, -0.5, 0.5, 1, -1, 0, 0};  // group 1 mean is 2
  for (size_t i = 0; i < centered.size(); ++i) {
    auto idx = static_cast<int64_t>(i);
    EXPECT_NEAR(none[idx].item<double>(), centered[i], 1e-6) << i;
    EXPECT_NEAR(batch[idx].item<double>(), centered[i] / (batch_std + kEps), 1e-5) << i;
  }
}

TEST(Grpo, TokenWeightsPerAggregation) {
  torch::Tensor mask = torch::tensor({1.f, 1.f, 0.f, 1.f, 0.f, 0.f, 0.f, 0.f, 0.f}).view({3, 3});
  torch::Tensor grpo = token_weights(mask, LossAggregation::kGrpo, 4);
  torch::Tensor dapo = token_weights(mask, LossAggregation::kDapo, 4);
  torch::Tensor dr = token_weights(mask, LossAggregation::kDrGrpo, 4);
  // grpo: two sequences with tokens; row 0 has 2 tokens, row 1 has 1.
  torch::Tensor grpo_expected =
      torch::tensor({0.25f, 0.25f, 0.f, 0.5f, 0.f, 0.f, 0.f, 0.f, 0.f}).view({3, 3});
  torch::Tensor dapo_expected = mask / 3.0;
  torch::Tensor dr_expected = mask / 12.0;  // 3 rows x 4 max tokens
  EXPECT_TRUE(torch::allclose(grpo, grpo_expected));
  EXPECT_TRUE(torch::allclose(dapo, dapo_expected));
  EXPECT_TRUE(torch::allclose(dr, dr_expected));
}

TEST(Grpo, ClippedLossGradientsAndKl) {
  // ratio 1.5 then 0.5 in each row; advantages +1 and -1.
  torch::Tensor old = torch::zeros({2, 2});
  torch::Tensor logp =
      torch::tensor({std::log(1.5f), std::log(0.5f), std::log(1.5f), std::log(0.5f)})
          .view({2, 2})
          .requires_grad_(true);
  torch::Tensor adv = floats({1, -1});
  torch::Tensor mask = torch::ones({2, 2});
  torch::Tensor weights = token_weights(mask, LossAggregation::kDapo, 2);
  PolicyLossOptions options;  // eps 0.2 / 0.28
  PolicyLoss pl = policy_loss(logp, old, torch::Tensor(), adv, mask, weights, options);
  // per token: row 0 (A=+1): -min(1.5, 1.28) = -1.28, -min(0.5, 0.8) = -0.5
  //            row 1 (A=-1): -min(-1.5, -1.28) = 1.5, -min(-0.5, -0.8) = 0.8
  EXPECT_NEAR(pl.loss.item<double>(), (-1.28 - 0.5 + 1.5 + 0.8) / 4.0, 1e-5);
  EXPECT_NEAR(pl.clip_fraction, 0.5, 1e-9);  // (row 0, t 0) and (row 1, t 1) are clipped
  pl.loss.backward();
  // d/dlogp of -ratio * A is -ratio * A where unclipped, 0 where clipped; times weight 1/4.
  torch::Tensor grad_expected = torch::tensor({0.f, -0.5f * 0.25f, 1.5f * 0.25f, 0.f}).view({2, 2});
  EXPECT_TRUE(torch::allclose(logp.grad(), grad_expected, 1e-5, 1e-6)) << logp.grad();

  // k3 KL: ref - logp = ln 2 everywhere gives 2 - ln 2 - 1 per token.
  torch::Tensor logp2 = logp.detach().clone().requires_grad_(true);
  torch::Tensor ref = logp2.detach() + std::log(2.0);
  options.beta = 0.1;
  PolicyLoss with_kl = policy_loss(logp2, old, ref, adv, mask, weights, options);
  double k3 = 1.0 - std::log(2.0);
  EXPECT_NEAR(with_kl.kl_mean, k3, 1e-5);
  EXPECT_NEAR(with_kl.loss.item<double>(), (-1.28 - 0.5 + 1.5 + 0.8) / 4.0 + 0.1 * k3, 1e-5);
}

TEST(Grpo, AggregationsWeighSequencesDifferently) {
  // One long and one short sequence with the same per-token loss and opposite advantages:
  // grpo weighs the sequences equally, dapo weighs tokens equally, dr_grpo by a constant.
  torch::Tensor logp = torch::zeros({2, 4}, torch::requires_grad());
  torch::Tensor old = torch::zeros({2, 4});
  torch::Tensor mask = torch::tensor({1.f, 1.f, 1.f, 1.f, 1.f, 0.f, 0.f, 0.f}).view({2, 4});
  torch::Tensor adv = floats({1, -1});
  PolicyLossOptions options;
  auto loss_for = [&](LossAggregation agg) {
    torch::Tensor w = token_weights(mask, agg, 8);
    return policy_loss(logp, old, torch::Tensor(), adv, mask, w, options).loss.item<double>();
  };
  // per token: -1 on row 0 (4 tokens), +1 on row 1 (1 token).
  EXPECT_NEAR(loss_for(LossAggregation::kGrpo), (-1.0 + 1.0) / 2.0, 1e-6);
  EXPECT_NEAR(loss_for(LossAggregation::kDapo), (-4.0 + 1.0) / 5.0, 1e-6);
  EXPECT_NEAR(loss_for(LossAggregation::kDrGrpo), (-4.0 + 1.0) / 16.0, 1e-6);
}

TEST(Sampling, TopKAndTopP) {
  torch::Tensor logits = torch::tensor({0.f, 1.f, 2.f, 3.f}).view({1, 4});
  auto kept = [](const torch::Tensor& t) {
    std::vector<int64_t> out;
    for (int64_t i = 0; i < t.size(1); ++i) {
      if (std::isfinite(t[0][i].item<float>())) out.push_back(i);
    }
    return out;
  };
  EXPECT_EQ(kept(filter_logits(logits, 2, 1.0)), (std::vector<int64_t>{2, 3}));
  // Probabilities: 0.032, 0.087, 0.237, 0.644.
  EXPECT_EQ(kept(filter_logits(logits, 0, 0.5)), (std::vector<int64_t>{3}));
  EXPECT_EQ(kept(filter_logits(logits, 0, 0.7)), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(kept(filter_logits(logits, 0, 0.9)), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(kept(filter_logits(logits, 0, 1.0)), (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(kept(filter_logits(logits, 3, 0.7)), (std::vector<int64_t>{2, 3}));
  SamplingOptions greedy;
  greedy.temperature = 0;
  EXPECT_EQ(sample_tokens(logits, greedy).item<int64_t>(), 3);
  SamplingOptions top1;
  top1.top_k = 1;
  torch::manual_seed(0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(sample_tokens(logits, top1).item<int64_t>(), 3);
}

TEST(Eval, PassAtK) {
  EXPECT_NEAR(pass_at_k(5, 2, 1), 0.4, 1e-12);
  EXPECT_NEAR(pass_at_k(5, 2, 2), 1.0 - 3.0 / 10.0, 1e-12);  // 1 - C(3,2)/C(5,2)
  EXPECT_EQ(pass_at_k(5, 0, 3), 0.0);
  EXPECT_EQ(pass_at_k(5, 4, 2), 1.0);
  EXPECT_NEAR(pass_at_k(10, 3, 5), 1.0 - 21.0 / 252.0, 1e-12);  // C(7,5)/C(10,5)
}

TEST(TensorIo, RoundTrip) {
  char pattern[] = "/tmp/codejudge-tensorio-XXXXXX";
  std::string dir = mkdtemp(pattern);
  TensorBundle in;
  in.meta = {{"k", 3}};
  in.tensors["a"] = torch::randn({2, 3});
  in.tensors["b"] = torch::arange(5, torch::kLong);
  in.tensors["empty"] = torch::zeros({0, 4});
  std::string error;
  ASSERT_TRUE(save_tensor_bundle(dir + "/x.bin", in, &error)) << error;
  auto out = load_tensor_bundle(dir + "/x.bin", &error);
  ASSERT_TRUE(out) << error;
  EXPECT_EQ(out->meta["k"], 3);
  EXPECT_TRUE(torch::equal(out->tensors["a"], in.tensors["a"]));
  EXPECT_TRUE(torch::equal(out->tensors["b"], in.tensors["b"]));
  EXPECT_EQ(out->tensors["empty"].sizes(), in.tensors["empty"].sizes());
  EXPECT_FALSE(load_tensor_bundle(dir + "/missing.bin", &error));
  std::filesystem::remove_all(dir);
}

TEST(ModelConfig, ValidatesAndRoundTrips) {
  ModelConfig c;
  EXPECT_EQ(c.validate(), "");
  c.n_head = 3;
  EXPECT_NE(c.validate(), "");
  c.n_head = 4;
  auto back = ModelConfig::from_json(c.to_json(), nullptr);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->to_json(), c.to_json());
  std::string error;
  EXPECT_FALSE(ModelConfig::from_json({{"n_layer", 2}}, &error));
  EXPECT_NE(error.find("vocab_size"), std::string::npos);
}

}  // namespace
}  // namespace codejudge::trainer
