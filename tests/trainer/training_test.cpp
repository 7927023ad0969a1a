// The training loop on a tiny model (CPU): SFT loss goes down, save/step/reload/step repeats the
// losses exactly (SFT and RL with several updates, KL and dynamic sampling), null rewards are
// masked, and a short SFT+RL run with the in-process judge leaves its files behind.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "codejudge/problems/generator.h"
#include "codejudge/trainer/in_process_reward_client.h"
#include "codejudge/trainer/tokenizer.h"
#include "codejudge/trainer/trainer.h"

namespace codejudge::trainer {
namespace {

namespace fs = std::filesystem;

std::vector<problems::Problem> synthetic(size_t count, problems::GeneratorSplit split,
                                         std::vector<std::string> families = {"arithmetic"}) {
  problems::GeneratorOptions g;
  g.count = count;
  g.seed = 5;
  g.split = split;
  g.families = std::move(families);
  g.tests = 4;
  return problems::generate_problems(g).problems;
}

TrainConfig tiny_config(TrainMode mode) {
  TrainConfig c;
  c.mode = mode;
  c.device = "cpu";
  c.model.n_layer = 2;
  c.model.n_head = 4;
  c.model.d_model = 64;
  c.model.context = 256;
  c.micro_batch = 8;
  c.sft.steps = 30;
  c.sft.batch = 8;  // Debian's libtorch runs on the reference BLAS: keep steps small
  c.sft.optim.lr = 3e-3;
  c.sft.optim.warmup_steps = 3;
  c.rl.steps = 4;
  c.rl.prompts_per_step = 3;
  c.rl.group_size = 4;
  c.rl.sampling.max_new_tokens = 40;
  c.rl.optim.lr = 1e-3;
  c.eval.before = false;
  c.eval.after = false;
  c.progress = false;
  c.write_outputs = false;
  c.save_final = false;
  return c;
}

// Deterministic rewards with spread; problems whose id hashes even get a constant reward (a
// zero-variance group) and every seventh completion (by content) is an IE.
class FakeRewards : public RewardClient {
 public:
  std::vector<RewardResult> score(const std::vector<RewardRequest>& requests) override {
    std::vector<RewardResult> out;
    for (const auto& r : requests) {
      RewardResult res;
      size_t h = std::hash<std::string>{}(r.completion);
      bool constant = std::hash<std::string>{}(r.problem->id) % 2 == 0;
      if (!constant && h % 7 == 0) {
        res.reason = "fake IE";
      } else {
        res.reward = constant ? 0.5 : static_cast<double>(h % 5) / 4.0;
        res.accuracy = res.reward.value_or(0.0) >= 1.0 ? 1.0 : 0.0;
        res.format = static_cast<double>(h % 2);
        res.verdict = "WA";
      }
      ++calls;
      out.push_back(res);
    }
    return out;
  }
  std::string describe() const override { return "fake"; }
  size_t calls = 0;
};

TEST(Training, SftLossDecreases) {
  TrainConfig config = tiny_config(TrainMode::kSft);
  std::string error;
  auto trainer =
      Trainer::create(config, synthetic(48, problems::GeneratorSplit::kTrain), {}, nullptr, &error);
  ASSERT_TRUE(trainer) << error;
  EXPECT_EQ(trainer->phase(), Phase::kSft);
  std::vector<double> losses;
  while (trainer->phase() != Phase::kDone) losses.push_back(trainer->step()["loss"].get<double>());
  ASSERT_EQ(losses.size(), 30u);
  double first = (losses[0] + losses[1] + losses[2]) / 3.0;
  double last = (losses[27] + losses[28] + losses[29]) / 3.0;
  EXPECT_LT(last, 0.6 * first) << "first " << first << " last " << last;
  EXPECT_GT(first, 3.0);  // about ln(264) at random init
  for (const auto& m : trainer->metrics()) {
    EXPECT_EQ(m["phase"], "sft");
    EXPECT_GT(m["tokens_per_s"].get<double>(), 0.0);
    EXPECT_GT(m["target_tokens"].get<double>(), 0.0);
  }
}

struct TempDir {
  TempDir() {
    char pattern[] = "/tmp/codejudge-trainer-test-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string path;
};

// Runs `before` steps, saves, runs `after` more; then a fresh trainer loads the checkpoint and
// runs `after` steps: every loss must be identical, bit for bit.
void expect_exact_resume(const TrainConfig& config, const std::vector<problems::Problem>& train,
                         int before, int after, RewardClient* rewards) {
  TempDir dir;
  std::string error;
  auto a = Trainer::create(config, train, {}, rewards, &error);
  ASSERT_TRUE(a) << error;
  for (int i = 0; i < before; ++i) a->step();
  ASSERT_TRUE(a->save_checkpoint(dir.path + "/ckpt", &error)) << error;
  std::vector<nlohmann::json> expected;
  for (int i = 0; i < after; ++i) expected.push_back(a->step());

  auto b = Trainer::create(config, train, {}, rewards, &error);
  ASSERT_TRUE(b) << error;
  b->step();  // diverge first, so the load has something to overwrite
  ASSERT_TRUE(b->load_checkpoint(dir.path + "/ckpt", &error)) << error;
  EXPECT_EQ(b->global_step(), before);
  for (int i = 0; i < after; ++i) {
    nlohmann::json got = b->step();
    ASSERT_EQ(got["phase"], expected[static_cast<size_t>(i)]["phase"]);
    ASSERT_TRUE(got["loss"].is_number()) << got.dump();
    EXPECT_EQ(got["loss"].get<double>(), expected[static_cast<size_t>(i)]["loss"].get<double>())
        << "step " << got["step"];
    if (got["phase"] == "rl") {
      EXPECT_EQ(got["reward_mean"], expected[static_cast<size_t>(i)]["reward_mean"]);
    }
  }
}

TEST(Training, SaveStepReloadStepIsExactForSft) {
  TrainConfig config = tiny_config(TrainMode::kSft);
  config.sft.steps = 8;
  expect_exact_resume(config, synthetic(32, problems::GeneratorSplit::kTrain), 3, 3, nullptr);
}

TEST(Training, SaveStepReloadStepIsExactForRl) {
  TrainConfig config = tiny_config(TrainMode::kSftRl);
  config.sft.steps = 2;
  config.rl.steps = 6;
  config.rl.updates_per_batch = 2;
  config.rl.minibatches = 2;
  config.rl.loss.beta = 0.05;  // the reference model travels in the checkpoint
  config.rl.dynamic_sampling = true;
  config.rl.aggregation = LossAggregation::kGrpo;
  config.rl.prompts_per_step = 2;
  config.max_ie_fraction = 1.0;  // the fake IE rows are masked, not fatal
  FakeRewards rewards;
  // Saved in the RL phase (after 2 SFT and 2 RL steps), then 3 more RL steps.
  expect_exact_resume(config, synthetic(32, problems::GeneratorSplit::kTrain), 4, 3, &rewards);
}

TEST(Training, RlMetricsMaskNullRewardsAndDropZeroVarianceGroups) {
  TrainConfig config = tiny_config(TrainMode::kRl);
  config.rl.steps = 3;
  config.rl.prompts_per_step = 4;
  config.rl.dynamic_sampling = true;
  config.rl.dynamic_sampling_rounds = 2;
  config.max_ie_fraction = 1.0;  // the fake IE rows are masked, not fatal
  FakeRewards rewards;
  std::string error;
  auto trainer = Trainer::create(config, synthetic(24, problems::GeneratorSplit::kTrain), {},
                                 &rewards, &error);
  ASSERT_TRUE(trainer) << error;
  EXPECT_EQ(trainer->phase(), Phase::kRl);
  double ie = 0, zero_var = 0;
  for (int i = 0; i < 3; ++i) {
    nlohmann::json m = trainer->step();
    for (const char* key : {"reward_mean", "reward_std", "accuracy", "format_rate", "loss",
                            "clip_frac", "entropy", "completion_len", "zero_var_frac", "ie_frac",
                            "time_gen_s", "time_reward_s", "time_update_s", "tokens_per_s"}) {
      EXPECT_TRUE(m.contains(key)) << key << " missing in " << m.dump();
    }
    EXPECT_LE(m["groups_used"].get<int64_t>(), 4);
    EXPECT_GT(m["entropy"].get<double>(), 0.0);
    ie += m["ie_frac"].get<double>();
    zero_var += m["zero_var_frac"].get<double>();
  }
  EXPECT_GT(ie, 0.0);        // the fake IE rows were seen...
  EXPECT_GT(zero_var, 0.0);  // ...and the constant-reward groups
  EXPECT_GE(rewards.calls, 3u * 4u * 4u);

  // Rows with a null reward have no loss tokens.
  auto batch = trainer->make_batch({{Tokenizer::kBos, 1, 2}, {Tokenizer::kBos, 3}},
                                   {{4, 5, Tokenizer::kEos}, {6, Tokenizer::kEos}}, {true, false});
  EXPECT_EQ(batch.mask[0].sum().item<float>(), 3.0f);
  EXPECT_EQ(batch.mask[1].sum().item<float>(), 0.0f);
  // Row 0: inputs BOS 1 2 4 5, targets 1 2 4 5 EOS, loss on the three completion targets.
  EXPECT_EQ(batch.targets[0][2].item<int64_t>(), 4);
  EXPECT_EQ(batch.mask[0][1].item<float>(), 0.0f);
  EXPECT_EQ(batch.mask[0][2].item<float>(), 1.0f);
}

// The share of 'a' bytes in the completion: a dense reward a policy can climb quickly.
class LetterRewards : public RewardClient {
 public:
  std::vector<RewardResult> score(const std::vector<RewardRequest>& requests) override {
    std::vector<RewardResult> out;
    for (const auto& r : requests) {
      RewardResult res;
      double share =
          r.completion.empty()
              ? 0.0
              : static_cast<double>(std::count(r.completion.begin(), r.completion.end(), 'a')) /
                    static_cast<double>(r.completion.size());
      res.reward = share;
      out.push_back(res);
    }
    return out;
  }
  std::string describe() const override { return "letters"; }
};

TEST(Training, GrpoClimbsASimpleReward) {
  // From random weights, GRPO must raise the reward it is given: the direction of the whole
  // loop (advantages, ratio, loss sign, optimizer) in one check.
  TrainConfig config = tiny_config(TrainMode::kRl);
  config.rl.steps = 25;
  config.rl.prompts_per_step = 4;
  config.rl.group_size = 8;
  config.rl.sampling.max_new_tokens = 16;
  config.rl.optim.lr = 3e-3;
  config.rl.optim.warmup_steps = 0;
  LetterRewards rewards;
  std::string error;
  auto trainer =
      Trainer::create(config, synthetic(8, problems::GeneratorSplit::kTrain), {}, &rewards, &error);
  ASSERT_TRUE(trainer) << error;
  std::vector<double> reward;
  while (trainer->phase() != Phase::kDone) reward.push_back(trainer->step()["reward_mean"]);
  double first = (reward[0] + reward[1] + reward[2]) / 3.0;
  double last = (reward[22] + reward[23] + reward[24]) / 3.0;
  // About 0.005 (1 / 264) at random weights; a reversed loss would push it towards 0 instead.
  EXPECT_GT(last, 4.0 * first + 0.02) << "first " << first << " last " << last;
}

TEST(Training, SftThenRlWithTheInProcessJudge) {
  TempDir dir;
  InProcessRewardConfig rc;
  rc.judge.cache_dir = dir.path + "/cache";
  rc.judge.workers = 2;
  std::string error;
  auto rewards = make_in_process_reward_client(rc, &error);
  ASSERT_TRUE(rewards) << "the judge could not start (root and a working sandbox are required): "
                       << error;
  TrainConfig config = tiny_config(TrainMode::kSftRl);
  config.name = "e2e";
  config.runs_dir = dir.path + "/runs";
  config.write_outputs = true;
  config.save_final = true;
  config.sft.steps = 12;
  config.rl.steps = 2;
  config.rl.prompts_per_step = 2;
  config.eval.before = true;
  config.eval.after = true;
  config.eval.max_problems = 3;
  config.eval.samples = 2;
  config.eval.max_new_tokens = 40;
  auto trainer =
      Trainer::create(config, synthetic(32, problems::GeneratorSplit::kTrain),
                      synthetic(3, problems::GeneratorSplit::kHeldOut), rewards.get(), &error);
  ASSERT_TRUE(trainer) << error;
  ASSERT_EQ(trainer->run(&error), 0) << error;
  EXPECT_EQ(trainer->global_step(), 14);
  EXPECT_EQ(trainer->phase(), Phase::kDone);

  fs::path run = fs::path(config.runs_dir) / "e2e";
  std::ifstream metrics(run / "metrics.jsonl");
  size_t sft = 0, rl = 0, evals = 0;
  std::vector<std::string> labels;
  for (std::string line; std::getline(metrics, line);) {
    nlohmann::json m = nlohmann::json::parse(line);
    std::string phase = m["phase"];
    sft += phase == "sft";
    rl += phase == "rl";
    evals += phase == "eval";
    if (phase == "rl") {
      double reward = m["reward_mean"];
      EXPECT_GE(reward, 0.0);
      EXPECT_LE(reward, 1.1);
      EXPECT_EQ(m["ie_frac"].get<double>(), 0.0) << "the judge failed on a sample: " << m.dump();
    }
    if (phase == "eval") {
      EXPECT_TRUE(m["pass@1"].is_number()) << m.dump();  // sampled, n = 2 at T = 1
      EXPECT_TRUE(m["greedy_pass@1"].is_number()) << m.dump();
      EXPECT_EQ(m["samples_per_problem"], 2);
      EXPECT_EQ(m["ie_rate"].get<double>(), 0.0) << m.dump();
      labels.push_back(m["label"]);
    }
  }
  EXPECT_EQ(sft, 12u);
  EXPECT_EQ(rl, 2u);
  EXPECT_EQ(evals, 3u);  // before, after SFT (= SFT alone), after RL
  EXPECT_EQ(labels, (std::vector<std::string>{"eval_before", "eval_after_sft", "eval_after"}));
  EXPECT_TRUE(fs::exists(run / "config.json"));
  EXPECT_TRUE(fs::exists(run / "samples.jsonl"));
  std::ifstream latest(run / "checkpoints" / "latest");
  std::string name;
  latest >> name;
  EXPECT_EQ(name, "step-000014");
  EXPECT_TRUE(fs::exists(run / "checkpoints" / name / "model.pt"));
  EXPECT_TRUE(fs::exists(run / "checkpoints" / name / "state.json"));
  std::ifstream report_file(run / "report.html");
  std::stringstream report;
  report << report_file.rdbuf();
  EXPECT_NE(report.str().find("<svg"), std::string::npos);
  EXPECT_NE(report.str().find("eval_after"), std::string::npos);
  EXPECT_NE(report.str().find("Sample completions"), std::string::npos);

  // --resume of a finished run loads its last checkpoint and has nothing left to do.
  config.resume = true;
  auto again =
      Trainer::create(config, synthetic(32, problems::GeneratorSplit::kTrain),
                      synthetic(3, problems::GeneratorSplit::kHeldOut), rewards.get(), &error);
  ASSERT_TRUE(again) << error;
  ASSERT_EQ(again->run(&error), 0) << error;
  EXPECT_EQ(again->global_step(), 14);
}

// About one completion in three gets a null reward (an IE), the rest a reward with spread.
class FailingRewards : public RewardClient {
 public:
  std::vector<RewardResult> score(const std::vector<RewardRequest>& requests) override {
    std::vector<RewardResult> out;
    for (const auto& r : requests) {
      RewardResult res;
      if (std::hash<std::string>{}(r.completion) % 3 == 0) {
        res.reason = "sandbox: cgroup vanished";
      } else {
        res.reward = static_cast<double>(r.completion.size() % 3) / 2.0;
      }
      out.push_back(res);
    }
    return out;
  }
  std::string describe() const override { return "failing"; }
};

TEST(Training, AbortsWhenTooManyRewardsAreNull) {
  TempDir dir;
  TrainConfig config = tiny_config(TrainMode::kRl);
  config.name = "ie";
  config.runs_dir = dir.path;
  config.write_outputs = true;
  config.rl.steps = 3;
  config.rl.prompts_per_step = 6;
  FailingRewards rewards;
  auto train = synthetic(24, problems::GeneratorSplit::kTrain);
  std::string error;
  auto trainer = Trainer::create(config, train, {}, &rewards, &error);
  ASSERT_TRUE(trainer) << error;
  EXPECT_EQ(trainer->run(&error), 3);
  EXPECT_NE(error.find("rewards were null"), std::string::npos) << error;
  EXPECT_NE(error.find("sandbox: cgroup vanished"), std::string::npos) << error;
  EXPECT_NE(error.find("codejudge doctor"), std::string::npos) << error;
  // The failing step is in the metrics (with its IE share) and the report exists.
  ASSERT_EQ(trainer->metrics().size(), 1u);
  EXPECT_GT(trainer->metrics()[0]["ie_frac"].get<double>(), 0.05);
  EXPECT_FALSE(trainer->metrics()[0].contains("loss"));  // no update from that batch
  EXPECT_TRUE(fs::exists(fs::path(dir.path) / "ie" / "report.html"));

  // With the threshold above the failure rate the same run masks them and finishes.
  config.max_ie_fraction = 1.0;
  config.name = "ie-masked";
  auto tolerant = Trainer::create(config, train, {}, &rewards, &error);
  ASSERT_TRUE(tolerant) << error;
  EXPECT_EQ(tolerant->run(&error), 0) << error;
  EXPECT_EQ(tolerant->global_step(), 3);
}

TEST(Training, RlSplitKeepsRlProblemsAwayFromSft) {
  TrainConfig config = tiny_config(TrainMode::kSftRl);
  config.rl_split = 0.5;
  FakeRewards rewards;
  auto train = synthetic(80, problems::GeneratorSplit::kTrain);
  std::string error;
  auto trainer = Trainer::create(config, train, {}, &rewards, &error);
  ASSERT_TRUE(trainer) << error;
  std::set<std::string> sft, rl;
  for (const auto& p : trainer->sft_problems()) sft.insert(p.id);
  for (const auto& p : trainer->rl_problems()) rl.insert(p.id);
  EXPECT_EQ(sft.size() + rl.size(), train.size());
  for (const auto& id : rl) EXPECT_EQ(sft.count(id), 0u) << id;
  EXPECT_GT(rl.size(), train.size() / 4);
  EXPECT_LT(rl.size(), train.size() * 3 / 4);
  // The split depends on the problems only: another seed and the RL-only recipe agree.
  config.seed = 99;
  config.mode = TrainMode::kRl;
  auto other = Trainer::create(config, train, {}, &rewards, &error);
  ASSERT_TRUE(other) << error;
  std::set<std::string> rl_other;
  for (const auto& p : other->rl_problems()) rl_other.insert(p.id);
  EXPECT_EQ(rl_other, rl);
  // Without a split both phases see everything.
  config.rl_split = 0.0;
  auto shared = Trainer::create(config, train, {}, &rewards, &error);
  ASSERT_TRUE(shared) << error;
  EXPECT_EQ(shared->rl_problems().size(), train.size());
}

TEST(Training, RejectsBadConfigurations) {
  std::string error;
  TrainConfig config = tiny_config(TrainMode::kRl);
  EXPECT_FALSE(
      Trainer::create(config, synthetic(4, problems::GeneratorSplit::kTrain), {}, nullptr, &error));
  EXPECT_NE(error.find("reward client"), std::string::npos);
  config = tiny_config(TrainMode::kSft);
  config.model.n_head = 3;
  EXPECT_FALSE(
      Trainer::create(config, synthetic(4, problems::GeneratorSplit::kTrain), {}, nullptr, &error));
  for (double split : {-0.1, 1.0}) {
    config = tiny_config(TrainMode::kSft);
    config.rl_split = split;
    EXPECT_FALSE(Trainer::create(config, synthetic(4, problems::GeneratorSplit::kTrain), {},
                                 nullptr, &error));
    EXPECT_NE(error.find("rl_split"), std::string::npos) << error;
  }
  config = tiny_config(TrainMode::kSft);
  config.rl.loss.clip_c = 0.5;
  EXPECT_FALSE(
      Trainer::create(config, synthetic(4, problems::GeneratorSplit::kTrain), {}, nullptr, &error));
  EXPECT_NE(error.find("clip_c"), std::string::npos) << error;
  config = tiny_config(TrainMode::kSft);
  config.device = "cuda:7";
  if (!torch::cuda::is_available()) {
    EXPECT_FALSE(Trainer::create(config, synthetic(4, problems::GeneratorSplit::kTrain), {},
                                 nullptr, &error));
  }
}

}  // namespace
}  // namespace codejudge::trainer
