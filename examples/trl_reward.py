"""A TRL reward function backed by a codejudge server (standard library only).

Usage with TRL's GRPOTrainer, on a dataset whose rows carry the problem id in a column named
"problem_id" (TRL passes every dataset column to reward functions as a keyword argument):

    from trl import GRPOConfig, GRPOTrainer
    from trl_reward import codejudge_reward

    trainer = GRPOTrainer(model=..., reward_funcs=[codejudge_reward],
                          args=GRPOConfig(...), train_dataset=dataset)

Set CODEJUDGE_URL (default http://127.0.0.1:8080). One HTTP call scores a whole batch through
POST /v1/rewards. A sample that hit an internal error of the judge gets None, which TRL treats
as "no reward" for that function instead of teaching the model from our failure.
"""

import json
import os
import time
import urllib.error
import urllib.request

CODEJUDGE_URL = os.environ.get("CODEJUDGE_URL", "http://127.0.0.1:8080")
TIMEOUT_S = float(os.environ.get("CODEJUDGE_TIMEOUT_S", "600"))


def _post(path, payload, url=None, retries=5):
    """POSTs JSON and returns the decoded answer; waits out 503 (queue full) with Retry-After."""
    data = json.dumps(payload).encode()
    for attempt in range(retries):
        request = urllib.request.Request(
            (url or CODEJUDGE_URL) + path, data=data,
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code != 503 or attempt + 1 == retries:
                raise RuntimeError(f"codejudge {path}: HTTP {error.code}: {error.read()[:500]!r}")
            time.sleep(float(error.headers.get("Retry-After", "1")))
    raise RuntimeError("unreachable")


def _text(completion):
    # Conversational datasets give [{"role": "assistant", "content": "..."}].
    if isinstance(completion, list):
        return "".join(message.get("content", "") for message in completion)
    return completion


def codejudge_reward(completions, problem_id, accuracy="binary", url=None, **kwargs):
    """One reward per completion: accuracy on the problem's hidden tests plus 0.1 x format."""
    items = [{"completion": _text(c), "problem_id": p} for c, p in zip(completions, problem_id)]
    answer = _post("/v1/rewards", {"items": items, "accuracy": accuracy}, url=url)
    return [item["reward"] for item in answer["items"]]


if __name__ == "__main__":
    import sys
    completion = sys.stdin.read()
    print(codejudge_reward([completion], [sys.argv[1]]))
