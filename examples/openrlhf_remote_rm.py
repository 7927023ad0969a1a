"""OpenRLHF with codejudge as its remote reward model (standard library only).

codejudge serves OpenRLHF's remote reward protocol at POST /get_reward: OpenRLHF sends
{"query": [prompt + response, ...], "prompts": [prompt, ...], "labels": [label, ...]} and reads
"rewards". The labels are the problem ids, taken from a dataset column with --label_key:

    python -m openrlhf.cli.train_ppo_ray ... \\
        --prompt_data your_dataset --input_key prompt --label_key problem_id \\
        --remote_rm_url http://CODEJUDGE_HOST:8080/get_reward

The server strips the prompt from each query (so a code block in the prompt is never scored),
extracts the last code block of the response and judges it on the problem's hidden tests. The
reward options (binary or fraction accuracy, weights) are server flags: --accuracy,
--accuracy-weight, --format-weight. OpenRLHF cannot mask a sample, so an internal error of the
judge is reported as --ie-reward (default 0.0) and counted in /metrics.

Running this file calls the endpoint the way OpenRLHF's remote_rm_fn does, to check a setup:

    python3 examples/openrlhf_remote_rm.py http://127.0.0.1:8080/get_reward PROBLEM_ID < answer.txt
"""

import json
import sys
import urllib.request


def remote_rm_fn(api_url, queries, prompts, labels, timeout_s=180):
    """Mirrors OpenRLHF's request: the same JSON fields, and "rewards" read from the answer."""
    data = json.dumps({"query": queries, "prompts": prompts, "labels": labels}).encode()
    request = urllib.request.Request(api_url, data=data,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        answer = json.load(response)
    assert "rewards" in answer, answer
    return answer["rewards"]


if __name__ == "__main__":
    prompt = "Solve the problem.\n"
    response = sys.stdin.read()
    print(remote_rm_fn(sys.argv[1], [prompt + response], [prompt], [sys.argv[2]]))
