// codejudge-train: the embedded RL trainer (docs/TRAINING.md). Flags and presets: options.cpp,
// presets.cpp; this file loads the problems, picks the reward client and runs the Trainer.
#include <torch/torch.h>

#include <iostream>

#include "codejudge/problems/loader.h"
#include "options.h"

namespace {

using namespace codejudge;

bool load_set(const std::vector<std::string>& paths, std::vector<problems::Problem>* out) {
  problems::LoadResult loaded = problems::load_problems(paths);
  for (const auto& e : loaded.errors) std::cerr << "warning: " << e.to_string() << "\n";
  *out = std::move(loaded.problems);
  return !out->empty();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace codejudge;
  using namespace codejudge::trainer;
  using codejudge::train_cli::usage_error;
  train_cli::TrainOptions o;
  int code = train_cli::parse_train_options({argv + 1, argv + argc}, &o);
  if (code >= 0) return code;
  if (o.threads > 0) torch::set_num_threads(o.threads);

  std::vector<problems::Problem> train, eval;
  if (!o.train_paths.empty()) {
    if (!load_set(o.train_paths, &train)) return usage_error("no training problems loaded");
  } else {
    problems::GeneratorOptions g = o.synth;
    g.count = o.synthetic_train;
    g.split = problems::GeneratorSplit::kTrain;
    problems::GeneratedProblems made = problems::generate_problems(g);
    if (made.problems.empty()) return usage_error("generator: " + made.error);
    if (!made.error.empty()) std::cerr << "note: generator: " << made.error << "\n";
    train = std::move(made.problems);
  }
  if (!o.eval_paths.empty()) {
    if (!load_set(o.eval_paths, &eval)) return usage_error("no evaluation problems loaded");
  } else if (o.train_paths.empty()) {
    problems::GeneratorOptions g = o.synth;
    g.count = o.synthetic_eval;
    g.split = problems::GeneratorSplit::kHeldOut;
    g.seed = o.synth.seed + 1000003;
    problems::GeneratedProblems made = problems::generate_problems(g);
    if (!made.error.empty()) std::cerr << "note: generator (held-out): " << made.error << "\n";
    eval = std::move(made.problems);
  }

  std::unique_ptr<RewardClient> rewards;
  std::string error;
  if (!o.http.servers.empty()) {
    o.http.settings = o.settings;
    rewards = make_http_reward_client(o.http, &error);
  } else {
    o.in_process.settings = o.settings;
    rewards = make_in_process_reward_client(o.in_process, &error);
  }
  if (!rewards) {
    std::cerr << "codejudge-train: reward client: " << error << "\n";
    return 2;
  }
  auto trainer =
      Trainer::create(o.config, std::move(train), std::move(eval), rewards.get(), &error);
  if (!trainer) {
    std::cerr << "codejudge-train: " << error << "\n";
    return 2;
  }
  int rc = trainer->run(&error);
  if (rc != 0) std::cerr << "codejudge-train: " << error << "\n";
  return rc;
}
