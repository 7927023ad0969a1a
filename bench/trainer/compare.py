#!/usr/bin/env python3
"""The C++ trainer (LibTorch) against PyTorch eager on the same model, fairly: the same flags,
the same autocast scope (the forward pass when training, the whole generation when sampling),
the same optimizer kind (multi-tensor AdamW and clipping), each side run --runs times in fresh
processes, alternating C++ and Python so that drifts in the machine's load hit both. Prints the
medians (with min and max) of training and generation tokens/s and writes every run as JSON.

usage: compare.py --cpp BUILD/trainer/bench/train_bench [--python PY] [--runs 5] [--out FILE]
                  [-- train_bench flags, e.g. --layers 8 --width 512 --batch 64 --seq 256]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"no JSON from {' '.join(command)}:\n{out.stdout}\n{out.stderr}")
    return json.loads(lines[-1])


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": values}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cpp", required=True, help="the train_bench binary")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", help="write the runs and medians here as JSON")
    ap.add_argument("flags", nargs="*", help="train_bench flags (after --)")
    a = ap.parse_args()
    sides = {"cpp": [a.cpp] + a.flags,
             "python": [a.python, os.path.join(HERE, "train_bench.py")] + a.flags}
    results = {"cpp": [], "python": []}
    for i in range(a.runs):
        for name, command in sides.items():
            r = run(command)
            results[name].append(r)
            print(f"run {i + 1}/{a.runs} {name}: train {r['train']['tokens_per_s']:.0f} tok/s, "
                  f"generate {r['generate']['tokens_per_s']:.0f} tok/s", file=sys.stderr)
    report = {"flags": a.flags, "sides": {}}
    for name, runs in results.items():
        report["sides"][name] = {
            "device": runs[0]["device"], "torch": runs[0]["torch"],
            "autocast_bf16": runs[0]["autocast_bf16"], "optimizer": runs[0].get("optimizer"),
            "params": runs[0]["params"],
            "train_tokens_per_s": summary([r["train"]["tokens_per_s"] for r in runs]),
            "generate_tokens_per_s": summary([r["generate"]["tokens_per_s"] for r in runs]),
        }
    c, p = report["sides"]["cpp"], report["sides"]["python"]
    print(f"| {c['params'] / 1e6:.2f} M params, {c['device']}, torch {c['torch']} "
          f"| C++ (LibTorch) | PyTorch eager | C++ / eager |")
    print("| --- | --- | --- | --- |")
    for key, label in (("train_tokens_per_s", "training tok/s"),
                       ("generate_tokens_per_s", "generation tok/s")):
        cm, pm = c[key]["median"], p[key]["median"]
        print(f"| {label}, median of {a.runs} (min-max) "
              f"| {cm:,.0f} ({c[key]['min']:,.0f}-{c[key]['max']:,.0f}) "
              f"| {pm:,.0f} ({p[key]['min']:,.0f}-{p[key]['max']:,.0f}) | {cm / pm:.2f} |")
    if a.out:
        with open(a.out, "w") as f:
            json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
