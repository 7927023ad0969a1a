// Small pieces with hand-computed answers: tokenizer, prompts and targets, GRPO advantages,
// token weights and the clipped loss with KL, top-k/top-p, pass@k, tensor files.
#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "codejudge/judges/rewards.h"
#include "codejudge/trainer/grpo.h"
#include "codejudge/trainer/optim.h"
#include "codejudge/trainer/prompt.h"
#include "codejudge/trainer/report.h"
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
  EXPECT_NEAR(pl.clip_fraction.item<double>(), 0.5, 1e-6);  // (row 0, t 0) and (row 1, t 1)
  EXPECT_EQ(pl.dual_clip_fraction.item<double>(), 0.0);     // no ratio above clip_c
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
  EXPECT_NEAR(with_kl.kl_mean.item<double>(), k3, 1e-5);
  EXPECT_NEAR(with_kl.loss.item<double>(), (-1.28 - 0.5 + 1.5 + 0.8) / 4.0 + 0.1 * k3, 1e-5);
}

TEST(Grpo, DualClipCapsTheLossOfNegativeAdvantages) {
  // Ratios 5 and 2 with A = -1: the pessimistic bound is -A * r = 5 and 2; the dual clip caps
  // the first at clip_c = 3 (no gradient there), the second stays 2 (gradient -A * r = 2).
  torch::Tensor logp =
      torch::tensor({std::log(5.0f), std::log(2.0f)}).view({1, 2}).requires_grad_(true);
  torch::Tensor old = torch::zeros({1, 2});
  torch::Tensor adv = floats({-1});
  torch::Tensor mask = torch::ones({1, 2});
  torch::Tensor weights = torch::ones({1, 2});
  PolicyLossOptions options;
  PolicyLoss pl = policy_loss(logp, old, torch::Tensor(), adv, mask, weights, options);
  EXPECT_NEAR(pl.per_token[0][0].item<double>(), 3.0, 1e-5);
  EXPECT_NEAR(pl.per_token[0][1].item<double>(), 2.0, 1e-5);
  EXPECT_NEAR(pl.dual_clip_fraction.item<double>(), 0.5, 1e-6);
  pl.loss.backward();
  EXPECT_NEAR(logp.grad()[0][0].item<double>(), 0.0, 1e-6);
  EXPECT_NEAR(logp.grad()[0][1].item<double>(), 2.0, 1e-5);
  // Off, the first token's loss is the plain pessimistic bound.
  options.clip_c = 0.0;
  PolicyLoss plain = policy_loss(logp, old, torch::Tensor(), adv, mask, weights, options);
  EXPECT_NEAR(plain.per_token[0][0].item<double>(), 5.0, 1e-4);
  // Positive advantages are never dual-clipped.
  PolicyLoss positive =
      policy_loss(logp, old, torch::Tensor(), floats({1}), mask, weights, PolicyLossOptions{});
  EXPECT_NEAR(positive.per_token[0][0].item<double>(), -1.28, 1e-5);
  EXPECT_EQ(positive.dual_clip_fraction.item<double>(), 0.0);
}

TEST(Grpo, LogRatioAndKlAreClamped) {
  // A log-ratio of 50 would overflow float32's exp; clamped to 20 it stays finite.
  torch::Tensor logp = torch::tensor({50.f, -50.f}).view({1, 2}).requires_grad_(true);
  torch::Tensor old = torch::zeros({1, 2});
  torch::Tensor ref = torch::zeros({1, 2});
  torch::Tensor mask = torch::ones({1, 2});
  PolicyLossOptions options;
  options.beta = 1.0;
  PolicyLoss pl = policy_loss(logp, old, ref, floats({-1}), mask, torch::ones({1, 2}), options);
  EXPECT_TRUE(torch::isfinite(pl.per_token).all().item<bool>()) << pl.per_token;
  EXPECT_NEAR(pl.ratio_mean.item<double>(), (std::exp(20.0) + std::exp(-20.0)) / 2.0,
              std::exp(20.0) * 1e-5);
  // k3 at ref - logp = +50 (clamped to 20) is huge, at -50 it is 49: both capped at 10.
  EXPECT_NEAR(pl.kl_mean.item<double>(), 10.0, 1e-5);
  pl.loss.backward();
  EXPECT_TRUE(torch::isfinite(logp.grad()).all().item<bool>());
}

TEST(Grpo, TemperatureScalesLogProbsAndEntropy) {
  torch::Tensor logits = torch::tensor({0.f, 1.f, 2.f, 4.f}).view({1, 1, 4});
  torch::Tensor target = torch::tensor({int64_t{3}}).view({1, 1});
  for (double t : {1.0, 0.5, 2.0}) {
    torch::Tensor expected = torch::log_softmax(logits / t, -1)[0][0][3];
    EXPECT_NEAR(token_log_probs(logits, target, t).item<double>(), expected.item<double>(), 1e-6);
    torch::Tensor p = torch::softmax(logits / t, -1);
    double entropy = -(p * p.log()).sum().item<double>();
    EXPECT_NEAR(token_entropy(logits, t).item<double>(), entropy, 1e-5) << t;
  }
  // Greedy sampling (temperature 0) scores with the plain softmax.
  EXPECT_NEAR(token_log_probs(logits, target, 0.0).item<double>(),
              token_log_probs(logits, target, 1.0).item<double>(), 1e-7);
}

TEST(Grpo, ClipGradNormMatchesTheGlobalNorm) {
  torch::Tensor a = torch::zeros({2}, torch::requires_grad());
  torch::Tensor b = torch::zeros({1}, torch::requires_grad());
  a.mutable_grad() = torch::tensor({3.f, 0.f});
  b.mutable_grad() = torch::tensor({4.f});
  torch::Tensor norm = clip_grad_norm({a, b}, 1.0);
  EXPECT_NEAR(norm.item<double>(), 5.0, 1e-6);
  EXPECT_NEAR(a.grad()[0].item<double>(), 0.6, 1e-5);
  EXPECT_NEAR(b.grad()[0].item<double>(), 0.8, 1e-5);
  // Under the limit nothing changes; max_norm 0 only measures.
  EXPECT_NEAR(clip_grad_norm({a, b}, 2.0).item<double>(), 1.0, 1e-5);
  EXPECT_NEAR(a.grad()[0].item<double>(), 0.6, 1e-5);
  EXPECT_NEAR(clip_grad_norm({a, b}, 0.0).item<double>(), 1.0, 1e-5);
}

TEST(Optim, ForeachAdamWMatchesTorchAdamW) {
  // Two groups (with and without weight decay), three steps, a parameter without a gradient in
  // the second step: the multi-tensor step and torch::optim::AdamW::step agree, and either one
  // can continue from the other's state.
  torch::manual_seed(3);
  std::vector<torch::Tensor> a = {torch::randn({3, 4}), torch::randn({5}), torch::randn({2, 2})};
  std::vector<torch::Tensor> b;
  for (auto& t : a) {
    t.set_requires_grad(true);
    b.push_back(t.detach().clone().set_requires_grad(true));
  }
  auto make = [](std::vector<torch::Tensor>& p) {
    auto options = torch::optim::AdamWOptions(0.05).betas(std::make_tuple(0.9, 0.95)).eps(1e-8);
    auto decay = options;
    decay.weight_decay(0.1);
    auto none = options;
    none.weight_decay(0.0);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<torch::Tensor>{p[0], p[2]},
                        std::make_unique<torch::optim::AdamWOptions>(decay));
    groups.emplace_back(std::vector<torch::Tensor>{p[1]},
                        std::make_unique<torch::optim::AdamWOptions>(none));
    return std::make_unique<torch::optim::AdamW>(groups, options);
  };
  auto ours = make(a);
  auto theirs = make(b);
  torch::Tensor initial = a[0].detach().clone();
  for (int step = 0; step < 4; ++step) {
    for (size_t i = 0; i < a.size(); ++i) {
      torch::Tensor g = torch::randn(a[i].sizes());
      bool skip = step == 1 && i == 2;
      a[i].mutable_grad() = skip ? torch::Tensor() : g;
      b[i].mutable_grad() = skip ? torch::Tensor() : g.clone();
    }
    // The last step swaps roles: torch's step continues from our state and ours from its.
    if (step < 3) {
      adamw_step(*ours);
      theirs->step();
    } else {
      ours->step();
      adamw_step(*theirs);
    }
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_TRUE(torch::allclose(a[i], b[i], 1e-6, 1e-7))
          << "step " << step << " param " << i << "\n"
          << a[i] - b[i];
    }
  }
  // The parameters moved: the comparison is not between two untouched copies.
  EXPECT_FALSE(torch::allclose(a[0], initial, 1e-3, 1e-3));
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

TEST(Sampling, DrawsFollowTheTemperedDistribution) {
  // 20000 rows of the same logits: the share of each token matches softmax(logits / T) within
  // 5 standard errors, and a filtered token is never drawn.
  const int64_t rows = 20000;
  torch::Tensor logits = torch::tensor({0.f, 1.f, 2.f, 3.f}).view({1, 4}).repeat({rows, 1});
  for (double temperature : {1.0, 2.0}) {
    SamplingOptions options;
    options.temperature = temperature;
    torch::manual_seed(42);
    torch::Tensor tokens = sample_tokens(logits, options);
    torch::Tensor counts = torch::bincount(tokens, {}, 4).to(torch::kDouble) / rows;
    torch::Tensor expected = torch::softmax(logits[0].to(torch::kDouble) / temperature, -1);
    for (int64_t v = 0; v < 4; ++v) {
      double p = expected[v].item<double>();
      double tolerance = 5.0 * std::sqrt(p * (1 - p) / rows);
      EXPECT_NEAR(counts[v].item<double>(), p, tolerance) << "T " << temperature << " token " << v;
    }
  }
  SamplingOptions top2;
  top2.top_k = 2;
  torch::Tensor tokens = sample_tokens(logits, top2);
  EXPECT_TRUE(tokens.ge(2).all().item<bool>());
  EXPECT_GT(tokens.eq(2).sum().item<int64_t>(), 0);
}

TEST(Eval, PassAtK) {
  EXPECT_NEAR(pass_at_k(5, 2, 1), 0.4, 1e-12);
  EXPECT_NEAR(pass_at_k(5, 2, 2), 1.0 - 3.0 / 10.0, 1e-12);  // 1 - C(3,2)/C(5,2)
  EXPECT_EQ(pass_at_k(5, 0, 3), 0.0);
  EXPECT_EQ(pass_at_k(5, 4, 2), 1.0);
  EXPECT_NEAR(pass_at_k(10, 3, 5), 1.0 - 21.0 / 252.0, 1e-12);  // C(7,5)/C(10,5)
}

TEST(Report, ChartsEvaluationsAndEscapedSamples) {
  ReportData data;
  data.title = "demo <run>";
  data.config = {{"mode", "sft+rl"}, {"seed", 3}};
  for (int step = 1; step <= 3; ++step)
    data.metrics.push_back({{"phase", "sft"}, {"step", step}, {"loss", 4.0 / step}});
  for (int step = 4; step <= 6; ++step) {
    data.metrics.push_back({{"phase", "rl"},
                            {"step", step},
                            {"reward_mean", 0.1 * step},
                            {"kl", 0.01 * step},
                            {"entropy", 1.0},
                            {"completion_len", 40}});
  }
  nlohmann::json eval = {{"phase", "eval"},
                         {"label", "eval_after_sft"},
                         {"step", 3},
                         {"problems", 10},
                         {"greedy_pass@1", 0.4},
                         {"pass@1", 0.25},
                         {"samples_per_problem", 8},
                         {"temperature", 1.0},
                         {"pass_at_k", {{"pass@1", 0.25}}},
                         {"format_rate", 0.9},
                         {"ie_rate", 0.0}};
  data.metrics.push_back(eval);
  data.evals.push_back(eval);
  SampleRecord sample;
  sample.problem_id = "synth/x";
  sample.phase = "eval_after_sft";
  sample.completion = "<script>alert(1)</script>";
  sample.verdict = "WA";
  sample.reward = 0.1;
  data.samples.push_back(sample);
  std::string html = render_report_html(data);
  EXPECT_NE(html.find("demo &lt;run&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);  // completions are text, never markup
  EXPECT_NE(html.find("&lt;script&gt;alert(1)"), std::string::npos);
  EXPECT_NE(html.find("<b>40%</b>"), std::string::npos);  // greedy pass@1
  EXPECT_NE(html.find("pass@1 25%"), std::string::npos);  // sampled
  for (const char* title :
       {"held-out pass@1", "reward (mean of the RL batch)", "format rate",
        "KL to the reference (k3)", "entropy (nats per token)", "completion length (tokens)"}) {
    EXPECT_NE(html.find(title), std::string::npos) << title;
  }
  EXPECT_NE(html.find("stroke-dasharray"), std::string::npos);  // SFT -> RL boundary marked
  // A chart draws only its own phase's records; one with nothing to show says so.
  std::string reward = svg_chart("r", data.metrics, {{"r", "reward_mean", "rl", "#000"}});
  EXPECT_NE(reward.find("<polyline"), std::string::npos);
  std::string sft_reward = svg_chart("r", data.metrics, {{"r", "reward_mean", "sft", "#000"}});
  EXPECT_NE(sft_reward.find("no data"), std::string::npos);
  std::string pass = svg_chart("p", data.metrics, {{"g", "greedy_pass@1", "eval", "#000"}});
  EXPECT_NE(pass.find("<circle"), std::string::npos);
  // Axis labels stay short enough for the margin.
  std::string speed = svg_chart("t",
                                {{{"phase", "sft"}, {"step", 1}, {"tokens_per_s", 20400.0}},
                                 {{"phase", "sft"}, {"step", 2}, {"tokens_per_s", 0.002139}}},
                                {{"t", "tokens_per_s", "sft", "#000"}});
  EXPECT_NE(speed.find(">20.4k<"), std::string::npos);
  EXPECT_NE(speed.find(">0.00214<"), std::string::npos);
  // Without a KL term the KL chart says why it is empty.
  data.config["rl"] = {{"beta", 0.0}};
  for (nlohmann::json& m : data.metrics) m.erase("kl");
  EXPECT_NE(render_report_html(data).find("not measured: --beta 0"), std::string::npos);
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
