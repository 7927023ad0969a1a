#include "presets.h"

namespace codejudge::train_cli {

const std::vector<Preset>& presets() {
  static const std::vector<Preset> kPresets = {
      {"tiny",
       "CPU smoke run: 2 layers, width 64, context 256, seconds per phase",
       {"--layers",          "2",   "--heads",          "4",  "--width",       "64",
        "--context",         "256",                                                     //
        "--sft-steps",       "40",  "--sft-batch",      "16", "--sft-lr",      "3e-3",  //
        "--rl-steps",        "8",   "--prompts",        "4",  "--group",       "4",
        "--max-new",         "96",  //
        "--eval-max-new",    "96",  "--eval-problems",  "20", "--micro-batch", "16",
        "--synthetic-train", "400", "--synthetic-eval", "20"}},
      // Learning you can see on 2 CPU cores (docs/TRAINING.md, "The cpu preset"): the easy
      // arithmetic templates, short completions, SFT on half of the training problems and GRPO
      // on the other half, evaluated on held-out constants and phrasings. The longest target of
      // this curriculum is 75 tokens with EOS and the longest prompt 94: a completion limit under
      // that caps pass@1 (at 64, a quarter of the held-out problems), hence context 176. Random
      // weights score 0, so no evaluation before (the RL-only run shows it). A 64-wide model
      // gains nothing from a second torch thread, which would only contend with the judge's
      // workers for the two cores.
      {"cpu",
       "learning you can see on 2 CPU cores in under 20 minutes: easy arithmetic problems, SFT "
       "on half of them, GRPO on the other half (docs/TRAINING.md)",
       {"--layers",
        "2",
        "--heads",
        "4",
        "--width",
        "64",
        "--context",
        "176",  //
        "--examples",
        "1",
        "--rl-split",
        "0.5",  //
        "--sft-steps",
        "300",
        "--sft-batch",
        "32",
        "--sft-lr",
        "3e-3",
        "--sft-warmup",
        "20",
        "--rl-steps",
        "60",
        "--prompts",
        "8",
        "--group",
        "8",
        "--rl-lr",
        "3e-4",
        "--max-new",
        "80",
        "--eval-max-new",
        "80",
        "--no-eval-before",
        "--micro-batch",
        "64",
        "--threads",
        "1",
        "--families",
        "arithmetic",
        "--max-difficulty",
        "1",
        "--synthetic-train",
        "400",
        "--synthetic-eval",
        "64"}},
      {"small",
       "CPU run of a few minutes: 4 layers, width 128, context 384",
       {"--layers",         "4",    "--heads",       "4",   "--width",           "128",
        "--context",        "384",                                                        //
        "--sft-steps",      "300",  "--sft-batch",   "32",  "--sft-lr",          "2e-3",  //
        "--rl-steps",       "40",   "--prompts",     "8",   "--group",           "8",
        "--rl-lr",          "1e-4", "--max-new",     "160", "--eval-max-new",    "160",
        "--eval-problems",  "100",  "--micro-batch", "32",  "--synthetic-train", "2000",
        "--synthetic-eval", "100"}},
      // SFT on half of the training problems, short enough to leave the policy variance; GRPO
      // on the other half with two passes of two minibatches (so the clip acts) and dynamic
      // sampling.
      {"h100",
       "one GPU, about 5 minutes: 8 layers, width 512, context 512 (the default)",
       {"--layers",
        "8",
        "--heads",
        "8",
        "--width",
        "512",
        "--context",
        "512",
        "--rl-split",
        "0.5",  //
        "--sft-steps",
        "200",
        "--sft-batch",
        "64",
        "--sft-lr",
        "1e-3",
        "--sft-warmup",
        "20",
        "--rl-steps",
        "80",
        "--prompts",
        "32",
        "--group",
        "8",
        "--updates",
        "2",
        "--minibatches",
        "2",
        "--dynamic-sampling",
        "--rl-lr",
        "5e-5",  //
        "--max-new",
        "192",
        "--eval-max-new",
        "192",
        "--eval-problems",
        "200",
        "--eval-batch",
        "200",
        "--micro-batch",
        "64",  //
        "--synthetic-train",
        "3000",
        "--synthetic-eval",
        "200"}},
  };
  return kPresets;
}

}  // namespace codejudge::train_cli
