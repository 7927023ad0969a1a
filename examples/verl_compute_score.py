"""verl reward functions backed by a codejudge server (standard library only).

Two ways to use codejudge from verl:

1. Your own compute_score (this file). Store the problem id as the ground truth of each row
   (reward_model.ground_truth in verl's parquet) and point verl at this function:

       custom_reward_function.path=examples/verl_compute_score.py
       custom_reward_function.name=compute_score

2. verl's built-in SandboxFusion client, unchanged: codejudge speaks SandboxFusion's
   POST /run_code, so setting reward_model.sandbox_fusion.url=http://HOST:8080/run_code is enough.
   run_like_sandbox_fusion() below sends exactly the request that client sends.

Set CODEJUDGE_URL (default http://127.0.0.1:8080).
"""

import json
import os
import time
import urllib.error
import urllib.request

CODEJUDGE_URL = os.environ.get("CODEJUDGE_URL", "http://127.0.0.1:8080")


def _post(url, payload, timeout_s=600, retries=5):
    data = json.dumps(payload).encode()
    for attempt in range(retries):
        request = urllib.request.Request(url, data=data,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code != 503 or attempt + 1 == retries:
                raise RuntimeError(f"codejudge: HTTP {error.code}: {error.read()[:500]!r}")
            time.sleep(float(error.headers.get("Retry-After", "1")))
    raise RuntimeError("unreachable")


def compute_score(data_source, solution_str, ground_truth, extra_info=None, url=None):
    """verl's custom reward signature; ground_truth is the codejudge problem id.

    Returns a dict: verl uses "score" as the reward and logs the other keys. A judge failure
    (reward null) scores 0.0 and is flagged by "internal_error" so it can be filtered out.
    """
    item = {"completion": solution_str, "problem_id": ground_truth}
    answer = _post((url or CODEJUDGE_URL) + "/v1/rewards",
                   {"items": [item], "accuracy": "fraction"})["items"][0]
    reward = answer.get("reward")
    return {
        "score": 0.0 if reward is None else reward,
        "acc": answer.get("accuracy", 0.0),
        "internal_error": reward is None,
    }


def run_like_sandbox_fusion(code, stdin, language="python", timeout_s=10, url=None):
    """The request verl's sandbox_fusion client sends to /run_code, and its answer."""
    payload = {
        "compile_timeout": timeout_s,
        "run_timeout": timeout_s,
        "code": code,
        "stdin": stdin,
        "language": language,
        "files": {},
        "fetch_files": [],
    }
    return _post((url or CODEJUDGE_URL) + "/run_code", payload, timeout_s=3 * timeout_s + 10)


def sandbox_fusion_case_passes(code, stdin, expected, language="python", url=None):
    """verl's per-test rule: status Success, run Finished, stdout equal up to trailing newlines."""
    answer = run_like_sandbox_fusion(code, stdin, language=language, url=url)
    run = answer.get("run_result") or {}
    return (answer["status"] == "Success" and run.get("status") == "Finished" and
            (run.get("stdout") or "").rstrip("\n") == expected.rstrip("\n"))
