#!/usr/bin/python3
"""Warm runtimes against cold runs and the naive unsandboxed runner, in one run.

1. HumanEval's canonical solutions through `codejudge problems validate --language python`, with
   warm runtimes (the default) and with --cold, and bench/naive_runner.py (one unsandboxed
   `python3 -c` per problem, two at a time), in alternating rounds; wall times, medians, ratios.
2. bench/warm_bench: the per-test cost of a stdio test in every language, warm and cold.

    bench/warm_bench.py [--build build] [--rounds 5] [--datasets ../shared/datasets]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(argv):
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    last = (proc.stdout.strip().splitlines() or [""])[-1]
    return seconds, proc.returncode, last


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--datasets", default=os.path.join(ROOT, "..", "shared", "datasets"))
    parser.add_argument("--skip-languages", action="store_true", help="only HumanEval")
    args = parser.parse_args()
    codejudge = os.path.join(args.build, "cli", "codejudge")
    with tempfile.TemporaryDirectory() as work:
        problems = os.path.join(work, "humaneval.jsonl")
        subprocess.run([codejudge, "problems", "import", "--format", "humaneval",
                        os.path.join(args.datasets, "humaneval", "HumanEval.jsonl.gz"), "-o",
                        problems], check=True, capture_output=True)
        validate = [codejudge, "problems", "validate", problems, "--language", "python"]
        runners = {
            "warm": validate,
            "cold": validate + ["--cold"],
            "naive": [sys.executable, os.path.join(ROOT, "bench", "naive_runner.py"), problems,
                      "--jobs", "2"],
        }
        timed(validate)  # fills the compile cache, outside the timing
        walls = {name: [] for name in runners}
        for round_index in range(args.rounds):
            for name, argv in runners.items():
                seconds, code, last = timed(argv)
                walls[name].append(seconds)
                print("round %d %-5s %.2f s  exit %d  %s" % (round_index + 1, name, seconds, code,
                                                            last), flush=True)
        load = os.getloadavg()
        print("\nHumanEval (164 canonical python solutions), %d rounds, load %.1f %.1f %.1f"
              % (args.rounds, *load))
        print("| runner | wall s median | min-max | / naive (median of per-round ratios) |")
        print("|---|---|---|---|")
        for name, values in walls.items():
            ratios = [w / n for w, n in zip(values, walls["naive"])]
            print("| %s | %.2f | %.2f-%.2f | %.2f |" % (name, statistics.median(values), min(values),
                                                       max(values), statistics.median(ratios)))
    if not args.skip_languages:
        print("\nPer stdio test, every language (bench/warm_bench):")
        subprocess.run([os.path.join(args.build, "bench", "warm_bench")], check=True)


if __name__ == "__main__":
    main()
