#include "options.h"

#include <algorithm>
#include <iostream>
#include <tuple>

#include "codejudge/flags/flags.h"
#include "presets.h"

namespace codejudge::train_cli {

using namespace trainer;

namespace {

constexpr const char* kIntro = R"(usage: codejudge-train [--preset NAME] [FLAGS...]

Trains a small code model with SFT, GRPO, or SFT then GRPO, rewarded by the codejudge judges.
Writes runs/NAME/{config.json,metrics.jsonl,samples.jsonl,report.html,checkpoints/}.

)";

// After the presets (which --help prints from presets.cpp).
constexpr const char* kFlags = R"(run:
  --name NAME            run name (default run)             --runs-dir DIR (default runs)
  --mode sft|rl|sft+rl   recipe (default sft+rl)            --seed N (default 1)
  --device auto|cpu|cuda[:N]                                --no-autocast (bf16 on CUDA by default)
  --threads N            CPU threads for torch (0: torch's default; the cpu preset uses 1)
  --micro-batch N        rows per forward/backward (default 16)
  --resume               continue runs/NAME from its latest checkpoint
  --init DIR             start from a checkpoint directory's weights (e.g. an SFT run's)
  --save-every N         checkpoint every N steps (default: only at the end)
  --no-progress          no progress bar
model:
  --layers N --heads N --width N --ff N (0: 4*width) --context N (tokens, prompt + completion)
data (default: the synthetic curriculum, train split for training, held-out split for eval):
  --train PATH           problem .jsonl file or directory (repeatable)
  --eval PATH            held-out problems (repeatable)
  --synthetic-train N    synthetic training problems (default 3000)
  --synthetic-eval N     synthetic held-out problems (default 200)
  --data-seed N          generator seed (default 1)
  --min-difficulty D --max-difficulty D   1..3 (default 1..3)
  --families a,b,...     generator families (default all)
  --examples N           public tests shown in each prompt (default 2)
  --rl-split X           share of the training problems kept for RL only: SFT never sees
                         them (default 0: both phases use all)
sft:
  --sft-steps N (200) --sft-batch N (32) --sft-lr X (1e-3) --sft-warmup N (10)
rl (GRPO):
  --rl-steps N (100) --prompts N per step (16) --group G samples per prompt (8)
  --rl-lr X (1e-4) --rl-warmup N (5) --updates N passes per batch (1) --minibatches N (1)
  --adv-norm group|batch|none (group; none with --loss dr_grpo)
  --loss grpo|dapo|dr_grpo (dapo)
  --eps-low X (0.2) --eps-high X (0.28) --clip-c X dual clip (3; 0: off) --beta X KL (0)
  --dynamic-sampling     drop zero-variance groups, sample more (--ds-rounds N, default 3)
  --temperature X (1.0) --top-k N (0: off) --top-p X (1.0) --max-new N tokens (192)
optimizer (both phases):
  --weight-decay X (0.1 SFT, 0 RL) --grad-clip X (1.0)
evaluation (held-out problems, before and after): greedy pass@1, and pass@k from N samples
  --eval-problems N (0: all) --eval-samples N (8; 0: greedy only) --eval-temperature X (1.0)
  --eval-k 1,5 --no-eval-greedy --eval-max-new N --eval-every N steps
  --eval-batch N         prompts per generation call (default 32)
  --no-eval-before --no-eval-after
rewards:
  --reward-server HOST:PORT   POST /v1/rewards there (repeatable; spread round-robin)
  --reward-timeout-ms N (120000) --reward-retries N attempts per batch (4)
  --reward-workers N     in-process judge workers (default: CPU count)
  --judge-cache DIR      in-process compile cache
  --accuracy binary|fraction (binary) --accuracy-weight X (1.0) --format-weight X (0.1)
  --max-ie-frac X        abort when a step's or evaluation's share of null rewards (our
                         infrastructure failing) passes X (default 0.05; 1: never)
)";

const Preset* find_preset(const std::string& name) {
  for (const Preset& preset : presets()) {
    if (name == preset.name) return &preset;
  }
  return nullptr;
}

std::string preset_names() {
  std::string names;
  for (const Preset& preset : presets())
    names += (names.empty() ? "" : ", ") + std::string(preset.name);
  return names;
}

// The intro, each preset with its flags (wrapped between flags, never inside "--flag value"),
// then the flags.
std::string help_text() {
  constexpr size_t kIndent = 11, kWidth = 100;
  std::string text = kIntro;
  text += "presets (set the defaults; later flags override):\n";
  for (const Preset& preset : presets()) {
    text += flags::help({{preset.name, "", preset.summary, nullptr}}, kIndent);
    std::string line(kIndent, ' ');
    for (size_t i = 0; i < preset.flags.size(); ++i) {
      std::string unit = preset.flags[i];
      if (i + 1 < preset.flags.size() && preset.flags[i + 1].rfind("--", 0) != 0) {
        unit += " " + preset.flags[++i];
      }
      if (line.size() > kIndent && line.size() + 1 + unit.size() > kWidth) {
        text += line + "\n";
        line.assign(kIndent, ' ');
      }
      line += (line.size() > kIndent ? " " : "") + unit;
    }
    text += line + "\n";
  }
  return text + "\n" + kFlags;
}

}  // namespace

int usage_error(const std::string& message) {
  std::cerr << "codejudge-train: " << message << "\nrun 'codejudge-train --help' for the flags\n";
  return 2;
}

int parse_train_options(const std::vector<std::string>& args, TrainOptions* o) {
  if (flags::wants_help(args)) {
    std::cout << help_text();
    return 0;
  }
  const Preset* preset = find_preset(kDefaultPreset);
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--preset") preset = find_preset(args[i + 1]);
    if (args[i] == "--preset" && preset == nullptr) {
      return usage_error("unknown preset '" + args[i + 1] + "' (" + preset_names() + ")");
    }
  }
  TrainConfig& c = o->config;
  using flags::Setter;
  // Each setter stores the value when it parses and lies in range; the walker reports the rest.
  auto integer = [](int64_t* target, int64_t min) -> Setter {
    return [target, min](const std::string& v, std::string* why) {
      return flags::parse_i64(v, min, INT64_MAX, target, why);
    };
  };
  auto size = [](size_t* target) -> Setter {
    return [target](const std::string& v, std::string* why) {
      int64_t x = 0;
      if (!flags::parse_i64(v, 0, INT64_MAX, &x, why)) return false;
      *target = static_cast<size_t>(x);
      return true;
    };
  };
  auto real = [](double* target) -> Setter {
    return [target](const std::string& v, std::string* why) {
      return flags::parse_double(v, target, why);
    };
  };
  auto text = [](std::string* target) -> Setter {
    return [target](const std::string& v, std::string*) {
      *target = v;
      return true;
    };
  };
  auto list = [](std::vector<std::string>* target) -> Setter {
    return [target](const std::string& v, std::string*) {
      target->push_back(v);
      return true;
    };
  };
  auto on = [](bool* target, bool value) -> Setter {
    return [target, value](const std::string&, std::string*) {
      *target = value;
      return true;
    };
  };
  int64_t threads = o->threads, data_seed = 1, seed = 1, min_d = o->synth.min_difficulty,
          max_d = o->synth.max_difficulty, examples = static_cast<int64_t>(c.prompt.max_examples);
  int64_t sft_warmup = c.sft.optim.warmup_steps, rl_warmup = c.rl.optim.warmup_steps;
  int64_t reward_workers = 0, timeout_ms = 120000, retries = 4;
  double weight_decay = -1, grad_clip = -1, accuracy_weight = 1.0, format_weight = 0.1;
  std::string mode = train_mode_name(c.mode), adv, loss = loss_aggregation_name(c.rl.aggregation),
              families, eval_k, accuracy = "binary", judge_cache;
  bool no_autocast = false;
  // The flags: name, value (none for a switch), setter. Their help is kFlags.
  std::vector<std::tuple<const char*, const char*, Setter>> rows = {
      {"--preset", "NAME", [](const std::string&, std::string*) { return true; }},
      {"--name", "VALUE", text(&c.name)},
      {"--runs-dir", "VALUE", text(&c.runs_dir)},
      {"--mode", "VALUE", text(&mode)},
      {"--seed", "VALUE", integer(&seed, 0)},
      {"--device", "VALUE", text(&c.device)},
      {"--threads", "VALUE", integer(&threads, 0)},
      {"--micro-batch", "VALUE", integer(&c.micro_batch, 1)},
      {"--init", "VALUE", text(&c.init_checkpoint)},
      {"--save-every", "VALUE", integer(&c.save_every, 0)},
      {"--layers", "VALUE", integer(&c.model.n_layer, 1)},
      {"--heads", "VALUE", integer(&c.model.n_head, 1)},
      {"--width", "VALUE", integer(&c.model.d_model, 2)},
      {"--ff", "VALUE", integer(&c.model.d_ff, 0)},
      {"--context", "VALUE", integer(&c.model.context, 32)},
      {"--train", "VALUE", list(&o->train_paths)},
      {"--eval", "VALUE", list(&o->eval_paths)},
      {"--synthetic-train", "VALUE", size(&o->synthetic_train)},
      {"--synthetic-eval", "VALUE", size(&o->synthetic_eval)},
      {"--data-seed", "VALUE", integer(&data_seed, 0)},
      {"--min-difficulty", "VALUE", integer(&min_d, 1)},
      {"--max-difficulty", "VALUE", integer(&max_d, 1)},
      {"--families", "VALUE", text(&families)},
      {"--examples", "VALUE", integer(&examples, 0)},
      {"--rl-split", "VALUE", real(&c.rl_split)},
      {"--max-ie-frac", "VALUE", real(&c.max_ie_fraction)},
      {"--clip-c", "VALUE", real(&c.rl.loss.clip_c)},
      {"--sft-steps", "VALUE", integer(&c.sft.steps, 0)},
      {"--sft-batch", "VALUE", integer(&c.sft.batch, 1)},
      {"--sft-lr", "VALUE", real(&c.sft.optim.lr)},
      {"--sft-warmup", "VALUE", integer(&sft_warmup, 0)},
      {"--rl-steps", "VALUE", integer(&c.rl.steps, 0)},
      {"--prompts", "VALUE", integer(&c.rl.prompts_per_step, 1)},
      {"--group", "VALUE", integer(&c.rl.group_size, 1)},
      {"--rl-lr", "VALUE", real(&c.rl.optim.lr)},
      {"--rl-warmup", "VALUE", integer(&rl_warmup, 0)},
      {"--updates", "VALUE", integer(&c.rl.updates_per_batch, 1)},
      {"--minibatches", "VALUE", integer(&c.rl.minibatches, 1)},
      {"--adv-norm", "VALUE", text(&adv)},
      {"--loss", "VALUE", text(&loss)},
      {"--eps-low", "VALUE", real(&c.rl.loss.eps_low)},
      {"--eps-high", "VALUE", real(&c.rl.loss.eps_high)},
      {"--beta", "VALUE", real(&c.rl.loss.beta)},
      {"--ds-rounds", "VALUE", integer(&c.rl.dynamic_sampling_rounds, 1)},
      {"--temperature", "VALUE", real(&c.rl.sampling.temperature)},
      {"--top-k", "VALUE", integer(&c.rl.sampling.top_k, 0)},
      {"--top-p", "VALUE", real(&c.rl.sampling.top_p)},
      {"--max-new", "VALUE", integer(&c.rl.sampling.max_new_tokens, 1)},
      {"--weight-decay", "VALUE", real(&weight_decay)},
      {"--grad-clip", "VALUE", real(&grad_clip)},
      {"--eval-problems", "VALUE", size(&c.eval.max_problems)},
      {"--eval-samples", "VALUE", integer(&c.eval.samples, 0)},
      {"--eval-temperature", "VALUE", real(&c.eval.temperature)},
      {"--eval-k", "VALUE", text(&eval_k)},
      {"--eval-max-new", "VALUE", integer(&c.eval.max_new_tokens, 1)},
      {"--eval-every", "VALUE", integer(&c.eval.every, 0)},
      {"--eval-batch", "VALUE", integer(&c.eval.batch_prompts, 1)},
      {"--reward-server", "VALUE", list(&o->http.servers)},
      {"--reward-timeout-ms", "VALUE", integer(&timeout_ms, 1)},
      {"--reward-retries", "VALUE", integer(&retries, 1)},
      {"--reward-workers", "VALUE", integer(&reward_workers, 0)},
      {"--judge-cache", "VALUE", text(&judge_cache)},
      {"--accuracy", "VALUE", text(&accuracy)},
      {"--accuracy-weight", "VALUE", real(&accuracy_weight)},
      {"--format-weight", "VALUE", real(&format_weight)},
      {"--resume", "", on(&c.resume, true)},
      {"--no-progress", "", on(&c.progress, false)},
      {"--no-autocast", "", on(&no_autocast, true)},
      {"--dynamic-sampling", "", on(&c.rl.dynamic_sampling, true)},
      {"--no-eval-before", "", on(&c.eval.before, false)},
      {"--no-eval-greedy", "", on(&c.eval.greedy, false)},
      {"--no-eval-after", "", on(&c.eval.after, false)},
  };
  std::vector<flags::Flag> table;
  for (auto& [name, value, set] : rows) table.push_back({name, value, "", std::move(set)});
  // The preset's flags first, then the given ones: they override it.
  flags::Error bad;
  if (!flags::parse(preset->flags, table, nullptr, &bad)) {
    return usage_error("preset " + std::string(preset->name) + ": " + bad.text());
  }
  if (!flags::parse(args, table, nullptr, &bad)) {
    if (bad.kind == flags::Error::Kind::kBadValue) {
      return usage_error("bad value for " + bad.flag + ": " + bad.value);
    }
    return usage_error(bad.text());
  }
  auto m = parse_train_mode(mode);
  if (!m) return usage_error("--mode: expected sft, rl or sft+rl");
  c.mode = *m;
  c.seed = static_cast<uint64_t>(seed);
  auto l = parse_loss_aggregation(loss);
  if (!l) return usage_error("--loss: expected grpo, dapo or dr_grpo");
  c.rl.aggregation = *l;
  // Dr. GRPO removes both the per-sequence length normalisation and the division by the group's
  // std; its aggregation alone would keep the std. Unless asked otherwise, take both.
  if (adv.empty()) adv = *l == LossAggregation::kDrGrpo ? "none" : "group";
  auto a = parse_advantage_norm(adv);
  if (!a) return usage_error("--adv-norm: expected group, batch or none");
  c.rl.advantage_norm = *a;
  if (*l == LossAggregation::kDrGrpo && *a != AdvantageNorm::kNone) {
    std::cerr << "note: --loss dr_grpo with --adv-norm " << adv
              << ": Dr. GRPO itself does not divide by the std (--adv-norm none)\n";
  }
  c.sft.optim.warmup_steps = sft_warmup;
  c.rl.optim.warmup_steps = rl_warmup;
  if (weight_decay >= 0) c.sft.optim.weight_decay = c.rl.optim.weight_decay = weight_decay;
  if (grad_clip >= 0) c.sft.optim.grad_clip = c.rl.optim.grad_clip = grad_clip;
  c.autocast = !no_autocast;
  c.prompt.max_examples = static_cast<size_t>(examples);
  if (!eval_k.empty()) {
    c.eval.ks.clear();
    for (const std::string& k : flags::split_commas(eval_k)) {
      int64_t value = 0;
      std::string why;
      if (!flags::parse_i64(k, 1, INT64_MAX, &value, &why)) {
        return usage_error("--eval-k: expected e.g. 1,5");
      }
      c.eval.ks.push_back(value);
    }
    int64_t largest = *std::max_element(c.eval.ks.begin(), c.eval.ks.end());
    if (c.eval.samples < largest) c.eval.samples = largest;
  }
  auto acc = judges::parse_accuracy_mode(accuracy);
  if (!acc) return usage_error("--accuracy: expected binary or fraction");
  o->settings = {*acc, accuracy_weight, format_weight};
  o->threads = static_cast<int>(threads);
  o->synth.seed = static_cast<uint64_t>(data_seed);
  o->synth.min_difficulty = static_cast<int>(min_d);
  o->synth.max_difficulty = static_cast<int>(max_d);
  if (!families.empty()) o->synth.families = flags::split_commas(families);
  o->http.timeout_ms = static_cast<uint64_t>(timeout_ms);
  o->http.max_attempts = static_cast<size_t>(retries);
  o->in_process.judge.workers = static_cast<size_t>(reward_workers);
  if (!judge_cache.empty()) o->in_process.judge.cache_dir = judge_cache;
  return -1;
}

}  // namespace codejudge::train_cli
