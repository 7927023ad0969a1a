#!/usr/bin/env python3
"""Runs examples/ (TRL, verl, OpenRLHF) against a live `codejudge serve` and checks the answers.

Exit 0 on success, 1 on a failed check, 77 (skipped) when the sandbox cannot start here.
"""

import argparse
import os
import sys

from server_process import Server

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "examples"))

import openrlhf_remote_rm  # noqa: E402
import trl_reward  # noqa: E402
import verl_compute_score  # noqa: E402

GOOD = ("<think>Read two numbers, print the sum.</think>\n"
        "```python\na, b = map(int, input().split())\nprint(a + b)\n```")
WRONG = "```python\nprint(3)\n```"  # passes the first test only
NO_CODE = "I do not know."
TWO_SUM = ("```python\nclass Solution:\n    def twoSum(self, nums, target):\n"
           "        seen = {}\n        for i, x in enumerate(nums):\n"
           "            if target - x in seen:\n                return [seen[target - x], i]\n"
           "            seen[x] = i\n```")

failures = []


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f": {detail}"))
    if not condition:
        failures.append(name)


def close(a, b):
    return a is not None and abs(a - b) < 1e-9


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    server = Server(args.binary)
    try:
        url = server.url
        # TRL: plain and conversational completions, binary and fraction accuracy.
        rewards = trl_reward.codejudge_reward(
            [GOOD, WRONG, NO_CODE, [{"role": "assistant", "content": TWO_SUM}]],
            ["add-two", "add-two", "add-two", "two-sum"], url=url)
        check("trl good", close(rewards[0], 1.1), rewards)
        check("trl wrong", close(rewards[1], 0.0), rewards)
        check("trl no code", close(rewards[2], 0.0), rewards)
        check("trl chat two-sum", close(rewards[3], 1.0), rewards)
        fraction = trl_reward.codejudge_reward([WRONG], ["add-two"], accuracy="fraction", url=url)
        check("trl fraction", close(fraction[0], 0.25), fraction)

        # verl custom compute_score.
        score = verl_compute_score.compute_score("codejudge", GOOD, "add-two", url=url)
        check("verl good", close(score["score"], 1.1) and not score["internal_error"], score)
        score = verl_compute_score.compute_score("codejudge", WRONG, "add-two", url=url)
        check("verl wrong (fraction)", close(score["acc"], 0.25), score)

        # verl's SandboxFusion client talking to /run_code.
        code = "a, b = map(int, input().split())\nprint(a + b)\n"
        check("sandbox fusion pass",
              verl_compute_score.sandbox_fusion_case_passes(code, "2 3\n", "5", url=url))
        check("sandbox fusion wrong",
              not verl_compute_score.sandbox_fusion_case_passes(code, "2 3\n", "6", url=url))
        answer = verl_compute_score.run_like_sandbox_fusion("int main( {", "", language="cpp",
                                                            url=url)
        compile_result = answer.get("compile_result") or {}
        check("sandbox fusion compile error",
              answer["status"] == "Failed" and compile_result.get("status") == "Finished"
              and compile_result.get("return_code") != 0, answer)
        answer = verl_compute_score.run_like_sandbox_fusion("while True: pass", "", timeout_s=1,
                                                            url=url)
        check("sandbox fusion timeout",
              answer["status"] == "Failed"
              and answer["run_result"]["status"] == "TimeLimitExceeded", answer)

        # OpenRLHF remote reward model.
        prompt = "Add two numbers. For example:\n```python\nprint(3)\n```\n"
        rewards = openrlhf_remote_rm.remote_rm_fn(
            url + "/get_reward", [prompt + GOOD, prompt + NO_CODE], [prompt, prompt],
            ["add-two", "add-two"])
        check("openrlhf rewards", close(rewards[0], 1.1) and close(rewards[1], 0.0), rewards)

        code = server.stop()
        check("server drains and exits 0", code == 0, server.read_log()[-2000:])
    finally:
        server.close()
    if failures:
        print(f"{len(failures)} example check(s) failed: {failures}")
        return 1
    print("all example checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
