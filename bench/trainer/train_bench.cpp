// Training and generation throughput of the trainer's model in C++ (LibTorch). The same
// workload in PyTorch eager is bench/trainer/train_bench.py; bench/trainer/compare.py runs both
// alternately with the same flags and reports medians. Prints one JSON line.
//
// train: forward (under bf16 autocast on CUDA) + backward + clip + AdamW on random [batch, seq]
// tokens (next-token loss), with the trainer's own pieces: the multi-tensor AdamW and gradient
// clipping (PyTorch's foreach=True on the Python side).
// generate: prompts x group samples through the KV-cache sampler (one autocast scope for the
// whole generation, as the Python side), new tokens per row; the rate counts every row of every
// decode step (the work done), so early EOS rows do not flatter it.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "codejudge/trainer/grpo.h"
#include "codejudge/trainer/model.h"
#include "codejudge/trainer/optim.h"
#include "codejudge/trainer/sampler.h"

namespace {

using namespace codejudge::trainer;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void sync(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize();
}

}  // namespace

int main(int argc, char** argv) {
  ModelConfig config;
  config.n_layer = 2;
  config.n_head = 4;
  config.d_model = 128;
  config.context = 256;
  int64_t batch = 16, seq = 256, steps = 10, warmup = 2, prompts = 8, group = 8, prompt_len = 64,
          new_tokens = 128, threads = 0;
  std::string device_name = "auto";
  bool autocast = true;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--no-autocast") {
      autocast = false;
      continue;
    }
    if (i + 1 >= argc) {
      std::cerr << "train_bench: " << flag << " needs a value\n";
      return 2;
    }
    std::string value = argv[++i];
    auto as_int = [&] { return std::stoll(value); };
    if (flag == "--layers")
      config.n_layer = as_int();
    else if (flag == "--heads")
      config.n_head = as_int();
    else if (flag == "--width")
      config.d_model = as_int();
    else if (flag == "--context")
      config.context = as_int();
    else if (flag == "--batch")
      batch = as_int();
    else if (flag == "--seq")
      seq = as_int();
    else if (flag == "--steps")
      steps = as_int();
    else if (flag == "--warmup")
      warmup = as_int();
    else if (flag == "--prompts")
      prompts = as_int();
    else if (flag == "--group")
      group = as_int();
    else if (flag == "--prompt-len")
      prompt_len = as_int();
    else if (flag == "--new")
      new_tokens = as_int();
    else if (flag == "--threads")
      threads = as_int();
    else if (flag == "--device")
      device_name = value;
    else {
      std::cerr << "train_bench: unknown flag " << flag << "\n";
      return 2;
    }
  }
  if (threads > 0) torch::set_num_threads(static_cast<int>(threads));
  std::string error;
  auto device = parse_device(device_name, &error);
  if (!device) {
    std::cerr << "train_bench: " << error << "\n";
    return 2;
  }
  autocast = autocast && device->is_cuda();
  torch::manual_seed(0);
  Transformer model(config);
  model->to(*device);
  torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(1e-4));

  auto train_step = [&] {
    torch::Tensor tokens = torch::randint(0, 256, {batch, seq + 1},
                                          torch::TensorOptions(torch::kLong).device(*device));
    torch::Tensor logits;
    {
      AutocastGuard guard(autocast);
      logits = model->forward(tokens.narrow(1, 0, seq));  // [B, T, V]
    }
    torch::Tensor loss = -token_log_probs(logits, tokens.narrow(1, 1, seq)).mean();
    optimizer.zero_grad();
    loss.backward();
    clip_grad_norm(model->parameters(), 1.0);
    adamw_step(optimizer);
  };
  model->train();
  for (int64_t i = 0; i < warmup; ++i) train_step();
  sync(*device);
  auto t0 = Clock::now();
  for (int64_t i = 0; i < steps; ++i) train_step();
  sync(*device);
  double train_s = since(t0);

  std::vector<std::vector<int64_t>> prompt_tokens;
  for (int64_t p = 0; p < prompts; ++p) {
    std::vector<int64_t> prompt = {257};
    for (int64_t j = 1; j < prompt_len; ++j) prompt.push_back(32 + (p * 7 + j * 13) % 90);
    prompt_tokens.push_back(prompt);
  }
  SamplingOptions sampling;
  sampling.temperature = 1.0;
  sampling.max_new_tokens = new_tokens;
  model->eval();
  generate(model, prompt_tokens, group, sampling, autocast);  // warm-up
  sync(*device);
  auto t1 = Clock::now();
  Generation gen = generate(model, prompt_tokens, group, sampling, autocast);
  sync(*device);
  double gen_s = since(t1);
  int64_t longest = gen.decode_steps;

  nlohmann::json out = {
      {"impl", "cpp-libtorch"},
      {"torch", TORCH_VERSION},
      {"device", device->str()},
      {"autocast_bf16", autocast},
      {"optimizer", "adamw-foreach"},
      {"attention", attention_backend()},
      {"threads", torch::get_num_threads()},
      {"params", model->parameter_count()},
      {"config", config.to_json()},
      {"train",
       {{"batch", batch},
        {"seq", seq},
        {"steps", steps},
        {"seconds", train_s},
        {"tokens_per_s", static_cast<double>(batch * seq * steps) / train_s}}},
      {"generate",
       {{"rows", prompts * group},
        {"prompt_len", prompt_len},
        {"decode_steps", longest},
        {"seconds", gen_s},
        {"tokens_per_s", static_cast<double>(prompts * group * longest) / gen_s}}}};
  std::cout << out.dump() << std::endl;
  return 0;
}
