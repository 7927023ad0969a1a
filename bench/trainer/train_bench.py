#!/usr/bin/env python3
"""The trainer's model in PyTorch eager: the same workloads as bench/trainer/train_bench.cpp,
with the same flags, printing one JSON line. bench/trainer/compare.py runs both alternately.

train: forward (under bf16 autocast on CUDA, as the C++ side) + backward + clip + AdamW on
random [batch, seq] tokens (next-token loss); AdamW and the clipping use the multi-tensor
(foreach) kernels, as the C++ side does.
generate: prompts x group samples with the KV-cache sampler of trainer/python/reference_model.py
(the C++ algorithm) under one autocast scope; the rate counts every row of every decode step.
"""

import argparse
import contextlib
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "trainer", "python"))
import reference_model as rm  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--context", type=int, default=256)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--prompts", type=int, default=8)
    ap.add_argument("--group", type=int, default=8)
    ap.add_argument("--prompt-len", type=int, default=64)
    ap.add_argument("--new", type=int, default=128)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--no-autocast", action="store_true")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    device = torch.device("cuda" if a.device == "auto" and torch.cuda.is_available()
                          else ("cpu" if a.device == "auto" else a.device))
    autocast = device.type == "cuda" and not a.no_autocast

    def amp():
        # torch 1.13 refuses to build a disabled CUDA autocast on a CPU-only build.
        if autocast:
            return torch.autocast("cuda", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    torch.manual_seed(0)
    config = rm.Config(n_layer=a.layers, n_head=a.heads, d_model=a.width, context=a.context)
    model = rm.Model(config).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, foreach=True)
    clip_args = {"foreach": True} if "foreach" in \
        torch.nn.utils.clip_grad_norm_.__code__.co_varnames else {}

    def train_step():
        tokens = torch.randint(0, 256, (a.batch, a.seq + 1), device=device)
        with amp():
            logits = model(tokens[:, :-1])
        logp = torch.log_softmax(logits.float(), -1).gather(-1, tokens[:, 1:].unsqueeze(-1))
        loss = -logp.mean()
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0, **clip_args)
        optimizer.step()

    model.train()
    for _ in range(a.warmup):
        train_step()
    sync()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        train_step()
    sync()
    train_s = time.perf_counter() - t0

    prompts = [[rm.BOS] + [32 + (p * 7 + j * 13) % 90 for j in range(1, a.prompt_len)]
               for p in range(a.prompts)]
    model.eval()
    with amp():
        rm.generate(model, prompts, a.group, a.new)
        sync()
        t1 = time.perf_counter()
        _, steps = rm.generate(model, prompts, a.group, a.new)
        sync()
    gen_s = time.perf_counter() - t1

    rows = a.prompts * a.group
    print(json.dumps({
        "impl": "python-eager",
        "torch": torch.__version__,
        "device": str(device),
        "autocast_bf16": autocast,
        "optimizer": "adamw-foreach",
        "attention": "sdpa" if hasattr(torch.nn.functional, "scaled_dot_product_attention")
                     else "manual",
        "threads": torch.get_num_threads(),
        "params": sum(p.numel() for p in model.parameters()),
        "train": {"batch": a.batch, "seq": a.seq, "steps": a.steps, "seconds": train_s,
                  "tokens_per_s": a.batch * a.seq * a.steps / train_s},
        "generate": {"rows": rows, "prompt_len": a.prompt_len, "decode_steps": steps,
                     "seconds": gen_s, "tokens_per_s": rows * steps / gen_s},
    }))


if __name__ == "__main__":
    main()
