// codejudge-train's flags. A preset sets every default first; flags given after override it.
#include <torch/torch.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>

#include "codejudge/problems/generator.h"
#include "codejudge/problems/loader.h"
#include "codejudge/trainer/trainer.h"

namespace codejudge::trainer {

namespace {

constexpr const char* kUsage = R"(usage: codejudge-train [--preset NAME] [FLAGS...]

Trains a small code model with SFT, GRPO, or SFT then GRPO, rewarded by the codejudge judges.
Writes runs/NAME/{config.json,metrics.jsonl,samples.jsonl,report.html,checkpoints/}.

presets (set the defaults; later flags override):
  tiny     CPU smoke run: 2 layers, width 64, context 256, seconds per phase
  cpu      learning you can see on 2 CPU cores in under 20 minutes: easy arithmetic
           problems, SFT on half of them, GRPO on the other half (docs/TRAINING.md)
  small    CPU run of a few minutes: 4 layers, width 128, context 384
  h100     one GPU, about 5 minutes: 8 layers, width 512, context 512 (the default)

run:
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

struct Options {
  TrainConfig config;
  std::vector<std::string> train_paths, eval_paths;
  problems::GeneratorOptions synth;
  size_t synthetic_train = 3000;
  size_t synthetic_eval = 200;
  int threads = 0;
  HttpRewardConfig http;
  InProcessRewardConfig in_process;
  RewardSettings settings;
};

void apply_preset(const std::string& name, Options* o) {
  TrainConfig& c = o->config;
  if (name == "tiny") {
    c.model.n_layer = 2;
    c.model.n_head = 4;
    c.model.d_model = 64;
    c.model.context = 256;
    c.sft.steps = 40;
    c.sft.batch = 16;
    c.sft.optim.lr = 3e-3;
    c.rl.steps = 8;
    c.rl.prompts_per_step = 4;
    c.rl.group_size = 4;
    c.rl.sampling.max_new_tokens = 96;
    c.eval.max_new_tokens = 96;
    c.eval.max_problems = 20;
    c.micro_batch = 16;
    o->synthetic_train = 400;
    o->synthetic_eval = 20;
  } else if (name == "small") {
    c.model.n_layer = 4;
    c.model.n_head = 4;
    c.model.d_model = 128;
    c.model.context = 384;
    c.sft.steps = 300;
    c.sft.batch = 32;
    c.sft.optim.lr = 2e-3;
    c.rl.steps = 40;
    c.rl.prompts_per_step = 8;
    c.rl.group_size = 8;
    c.rl.optim.lr = 1e-4;
    c.rl.sampling.max_new_tokens = 160;
    c.eval.max_new_tokens = 160;
    c.eval.max_problems = 100;
    c.micro_batch = 32;
    o->synthetic_train = 2000;
    o->synthetic_eval = 100;
  } else if (name == "cpu") {
    // Learning you can see on 2 CPU cores (docs/TRAINING.md, "The cpu preset"): the easy
    // arithmetic templates, short completions, SFT on half of the training problems and GRPO on
    // the other half, evaluated on held-out constants and phrasings.
    c.model.n_layer = 2;
    c.model.n_head = 4;
    c.model.d_model = 64;
    // The longest target of this curriculum is 75 tokens with EOS and the longest prompt 94: a
    // completion limit under that caps pass@1 (at 64, a quarter of the held-out problems).
    c.model.context = 176;
    c.prompt.max_examples = 1;
    c.rl_split = 0.5;
    c.sft.steps = 300;
    c.sft.batch = 32;
    c.sft.optim.lr = 3e-3;
    c.sft.optim.warmup_steps = 20;
    c.rl.steps = 60;
    c.rl.prompts_per_step = 8;
    c.rl.group_size = 8;
    c.rl.optim.lr = 3e-4;
    c.rl.sampling.max_new_tokens = 80;
    c.eval.max_new_tokens = 80;
    c.eval.before = false;  // random weights score 0: the RL-only run shows it
    c.micro_batch = 64;
    // A 64-wide model gains nothing from a second torch thread, which would only contend with
    // the judge's workers for the two cores.
    o->threads = 1;
    o->synth.families = {"arithmetic"};
    o->synth.max_difficulty = 1;
    o->synthetic_train = 400;
    o->synthetic_eval = 64;
  } else {  // h100
    // SFT on half of the training problems, short enough to leave the policy variance; GRPO on
    // the other half with two passes of two minibatches (so the clip acts) and dynamic sampling.
    c.model.n_layer = 8;
    c.model.n_head = 8;
    c.model.d_model = 512;
    c.model.context = 512;
    c.rl_split = 0.5;
    c.sft.steps = 200;
    c.sft.batch = 64;
    c.sft.optim.lr = 1e-3;
    c.sft.optim.warmup_steps = 20;
    c.rl.steps = 80;
    c.rl.prompts_per_step = 32;
    c.rl.group_size = 8;
    c.rl.updates_per_batch = 2;
    c.rl.minibatches = 2;
    c.rl.dynamic_sampling = true;
    c.rl.optim.lr = 5e-5;
    c.rl.sampling.max_new_tokens = 192;
    c.eval.max_new_tokens = 192;
    c.eval.max_problems = 200;
    c.eval.batch_prompts = 200;
    c.micro_batch = 64;
    o->synthetic_train = 3000;
    o->synthetic_eval = 200;
  }
}

bool to_int(const std::string& text, int64_t* out) {
  try {
    size_t used = 0;
    *out = std::stoll(text, &used);
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

bool to_double(const std::string& text, double* out) {
  try {
    size_t used = 0;
    *out = std::stod(text, &used);
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

int usage_error(const std::string& message) {
  std::cerr << "codejudge-train: " << message << "\nrun 'codejudge-train --help' for the flags\n";
  return 2;
}

// Parses argv into o; returns -1 to go on, else an exit code.
int parse(int argc, char** argv, Options* o) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string preset = "h100";
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (args[i] == "--preset" && i + 1 < args.size()) preset = args[i + 1];
  }
  if (preset != "tiny" && preset != "cpu" && preset != "small" && preset != "h100") {
    return usage_error("unknown preset '" + preset + "' (tiny, cpu, small, h100)");
  }
  apply_preset(preset, o);
  TrainConfig& c = o->config;
  std::string error;
  using Handler = std::function<bool(const std::string&)>;
  auto integer = [&](int64_t* target, int64_t min) -> Handler {
    return [target, min](const std::string& v) { return to_int(v, target) && *target >= min; };
  };
  auto size = [&](size_t* target) -> Handler {
    return [target](const std::string& v) {
      int64_t x = 0;
      if (!to_int(v, &x) || x < 0) return false;
      *target = static_cast<size_t>(x);
      return true;
    };
  };
  auto real = [&](double* target) -> Handler {
    return [target](const std::string& v) { return to_double(v, target); };
  };
  auto text = [&](std::string* target) -> Handler {
    return [target](const std::string& v) {
      *target = v;
      return true;
    };
  };
  auto list = [&](std::vector<std::string>* target) -> Handler {
    return [target](const std::string& v) {
      target->push_back(v);
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
  const std::map<std::string, Handler> valued = {
      {"--preset", [](const std::string&) { return true; }},
      {"--name", text(&c.name)},
      {"--runs-dir", text(&c.runs_dir)},
      {"--mode", text(&mode)},
      {"--seed", integer(&seed, 0)},
      {"--device", text(&c.device)},
      {"--threads", integer(&threads, 0)},
      {"--micro-batch", integer(&c.micro_batch, 1)},
      {"--init", text(&c.init_checkpoint)},
      {"--save-every", integer(&c.save_every, 0)},
      {"--layers", integer(&c.model.n_layer, 1)},
      {"--heads", integer(&c.model.n_head, 1)},
      {"--width", integer(&c.model.d_model, 2)},
      {"--ff", integer(&c.model.d_ff, 0)},
      {"--context", integer(&c.model.context, 32)},
      {"--train", list(&o->train_paths)},
      {"--eval", list(&o->eval_paths)},
      {"--synthetic-train", size(&o->synthetic_train)},
      {"--synthetic-eval", size(&o->synthetic_eval)},
      {"--data-seed", integer(&data_seed, 0)},
      {"--min-difficulty", integer(&min_d, 1)},
      {"--max-difficulty", integer(&max_d, 1)},
      {"--families", text(&families)},
      {"--examples", integer(&examples, 0)},
      {"--rl-split", real(&c.rl_split)},
      {"--max-ie-frac", real(&c.max_ie_fraction)},
      {"--clip-c", real(&c.rl.loss.clip_c)},
      {"--sft-steps", integer(&c.sft.steps, 0)},
      {"--sft-batch", integer(&c.sft.batch, 1)},
      {"--sft-lr", real(&c.sft.optim.lr)},
      {"--sft-warmup", integer(&sft_warmup, 0)},
      {"--rl-steps", integer(&c.rl.steps, 0)},
      {"--prompts", integer(&c.rl.prompts_per_step, 1)},
      {"--group", integer(&c.rl.group_size, 1)},
      {"--rl-lr", real(&c.rl.optim.lr)},
      {"--rl-warmup", integer(&rl_warmup, 0)},
      {"--updates", integer(&c.rl.updates_per_batch, 1)},
      {"--minibatches", integer(&c.rl.minibatches, 1)},
      {"--adv-norm", text(&adv)},
      {"--loss", text(&loss)},
      {"--eps-low", real(&c.rl.loss.eps_low)},
      {"--eps-high", real(&c.rl.loss.eps_high)},
      {"--beta", real(&c.rl.loss.beta)},
      {"--ds-rounds", integer(&c.rl.dynamic_sampling_rounds, 1)},
      {"--temperature", real(&c.rl.sampling.temperature)},
      {"--top-k", integer(&c.rl.sampling.top_k, 0)},
      {"--top-p", real(&c.rl.sampling.top_p)},
      {"--max-new", integer(&c.rl.sampling.max_new_tokens, 1)},
      {"--weight-decay", real(&weight_decay)},
      {"--grad-clip", real(&grad_clip)},
      {"--eval-problems", size(&c.eval.max_problems)},
      {"--eval-samples", integer(&c.eval.samples, 0)},
      {"--eval-temperature", real(&c.eval.temperature)},
      {"--eval-k", text(&eval_k)},
      {"--eval-max-new", integer(&c.eval.max_new_tokens, 1)},
      {"--eval-every", integer(&c.eval.every, 0)},
      {"--reward-server", list(&o->http.servers)},
      {"--reward-timeout-ms", integer(&timeout_ms, 1)},
      {"--reward-retries", integer(&retries, 1)},
      {"--reward-workers", integer(&reward_workers, 0)},
      {"--judge-cache", text(&judge_cache)},
      {"--accuracy", text(&accuracy)},
      {"--accuracy-weight", real(&accuracy_weight)},
      {"--format-weight", real(&format_weight)},
  };
  const std::map<std::string, std::function<void()>> switches = {
      {"--resume", [&] { c.resume = true; }},
      {"--no-progress", [&] { c.progress = false; }},
      {"--no-autocast", [&] { no_autocast = true; }},
      {"--dynamic-sampling", [&] { c.rl.dynamic_sampling = true; }},
      {"--no-eval-before", [&] { c.eval.before = false; }},
      {"--no-eval-greedy", [&] { c.eval.greedy = false; }},
      {"--no-eval-after", [&] { c.eval.after = false; }},
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (auto s = switches.find(flag); s != switches.end()) {
      s->second();
      continue;
    }
    auto v = valued.find(flag);
    if (v == valued.end()) return usage_error("unknown flag " + flag);
    if (i + 1 >= args.size()) return usage_error(flag + " needs a value");
    if (!v->second(args[++i])) return usage_error("bad value for " + flag + ": " + args[i]);
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
    for (const std::string& k : split_commas(eval_k)) {
      int64_t value = 0;
      if (!to_int(k, &value) || value < 1) return usage_error("--eval-k: expected e.g. 1,5");
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
  if (!families.empty()) o->synth.families = split_commas(families);
  o->http.timeout_ms = static_cast<uint64_t>(timeout_ms);
  o->http.max_attempts = static_cast<size_t>(retries);
  o->in_process.judge.workers = static_cast<size_t>(reward_workers);
  if (!judge_cache.empty()) o->in_process.judge.cache_dir = judge_cache;
  return -1;
}

bool load_set(const std::vector<std::string>& paths, std::vector<problems::Problem>* out) {
  problems::LoadResult loaded = problems::load_problems(paths);
  for (const auto& e : loaded.errors) std::cerr << "warning: " << e.to_string() << "\n";
  *out = std::move(loaded.problems);
  return !out->empty();
}

}  // namespace

int train_main(int argc, char** argv) {
  Options o;
  int code = parse(argc, argv, &o);
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

}  // namespace codejudge::trainer
