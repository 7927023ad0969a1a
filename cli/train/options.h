// codejudge-train's command line: a preset (presets.cpp) and then the flags given, both through
// one flag table, into the trainer's configuration.
#pragma once

#include <string>
#include <vector>

#include "codejudge/problems/generator.h"
#include "codejudge/trainer/in_process_reward_client.h"
#include "codejudge/trainer/reward_client.h"
#include "codejudge/trainer/trainer.h"

namespace codejudge::train_cli {

struct TrainOptions {
  trainer::TrainConfig config;
  std::vector<std::string> train_paths, eval_paths;
  problems::GeneratorOptions synth;
  size_t synthetic_train = 3000;
  size_t synthetic_eval = 200;
  int threads = 0;  // torch's CPU threads; 0: torch's default
  trainer::HttpRewardConfig http;
  trainer::InProcessRewardConfig in_process;
  trainer::RewardSettings settings;
};

// Parses args (argv without the program name) into *options. Returns -1 to go on, else the exit
// code: 0 after --help, 2 after a usage error (printed to stderr).
int parse_train_options(const std::vector<std::string>& args, TrainOptions* options);

// Prints "codejudge-train: message" and where to find the flags; returns 2.
int usage_error(const std::string& message);

}  // namespace codejudge::train_cli
