#!/usr/bin/env python3
"""verl's and OpenRLHF's reward clients against a real `codejudge serve` above its capacity.

The clients are re-implemented here (our code) with the request shapes, timeouts and retry rules
of their sources, read at these versions:

- verl (volcengine/verl b178a3c, verl/utils/reward_score/sandbox_fusion/utils.py): one POST
  /run_code per test case, payload {compile_timeout, run_timeout, code, stdin, memory_limit_MB,
  language, files: {}, fetch_files: []}; per-request timeout compile + run + 10 s; three attempts,
  retrying only HTTP 504 after 1 s then 2 s; any other error status, a timeout or a connection
  error gives up at once and scores the case -1. Results: True / False, -1 (API or sandbox
  error), -2 (runtime error), -3 (timeout), -4 (compile error). Cases run on a thread pool under
  a semaphore of max_concurrent (64 by default).
- OpenRLHF (OpenRLHF/OpenRLHF 3c3be62, openrlhf/utils/agent.py; and the older
  remote_rm_utils.request_api_wrapper): POST {query, prompts, labels} to /get_reward, one sample
  per request (the agent executor) or a whole batch (the older client), 180 s timeout, five
  attempts one second apart on any error; then the sample has no reward.

The server gets 2 job threads and 4 queue slots; the clients send 12 /run_code requests at once
(30 in all, some of them 3 s sleepers) and 13 /get_reward requests beside them. Passes when every
case and every reward is exactly what the program deserves: no correct answer lost to a 503, a
client timeout or an exhausted retry, and no internal error.

Exit 0 on success, 1 on failure, 77 (skipped) when the sandbox cannot start here.
"""

import argparse
import concurrent.futures
import http.client
import json
import sys
import threading
import time
import urllib.parse

from server_process import Server

# ---- verl's SandboxFusion client -------------------------------------------------------------

VERL_API_TIMEOUT_S = 10
VERL_MAX_RETRIES = 3
VERL_INITIAL_RETRY_DELAY_S = 1


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = {}

    def add(self, key):
        with self.lock:
            self.items[key] = self.items.get(key, 0) + 1


def post_json(url, payload, timeout_s):
    """(status, parsed body or None); raises OSError on timeouts and connection errors."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout_s)
    try:
        body = json.dumps(payload)
        connection.request("POST", parts.path, body=body,
                           headers={"Content-Type": "application/json",
                                    "Accept": "application/json"})
        response = connection.getresponse()
        data = response.read()
        try:
            return response.status, json.loads(data)
        except ValueError:
            return response.status, None
    finally:
        connection.close()


def verl_call_sandbox_api(url, code, stdin, compile_timeout, run_timeout, memory_limit_mb,
                          language, counts):
    payload = {"compile_timeout": compile_timeout, "run_timeout": run_timeout, "code": code,
               "stdin": stdin, "memory_limit_MB": memory_limit_mb, "language": language,
               "files": {}, "fetch_files": []}
    request_timeout = compile_timeout + run_timeout + VERL_API_TIMEOUT_S
    last_error = None
    for attempt in range(VERL_MAX_RETRIES):
        try:
            status, body = post_json(url, payload, request_timeout)
        except OSError as error:  # requests.exceptions.RequestException: no retry
            counts.add("verl_request_error")
            return None, f"request error: {error}"
        if status == 504:
            counts.add("verl_504")
            last_error = f"504 on attempt {attempt + 1}"
            if attempt < VERL_MAX_RETRIES - 1:
                time.sleep(VERL_INITIAL_RETRY_DELAY_S * (attempt + 1))
            continue
        if status >= 400:  # raise_for_status: no retry
            counts.add(f"verl_{status}")
            return None, f"HTTP {status}: {body}"
        return body, None
    counts.add("verl_retries_exhausted")
    return None, last_error


def verl_case_result(response, error, expected_output):
    """_process_single_case's classification of one case."""
    if error or not response:
        return -1
    status = response.get("status")
    compile_result = response.get("compile_result")
    run_result = response.get("run_result")
    if status == "SandboxError":
        return -1
    if status == "Failed":
        if compile_result and (compile_result.get("status") in ("Error", "TimeLimitExceeded") or
                               (compile_result.get("status") == "Finished" and
                                compile_result.get("return_code") != 0)):
            return -4
        if run_result:
            run_status = run_result.get("status")
            if run_status == "TimeLimitExceeded":
                return -3
            if run_status == "Error" or (run_status == "Finished" and
                                         run_result.get("return_code") != 0):
                return -2
        return -1
    if status == "Success":
        if run_result and run_result.get("status") == "Finished":
            stdout = run_result.get("stdout") or ""
            if expected_output is None or str(stdout).rstrip("\n") == str(expected_output).rstrip("\n"):
                return True
            return False
        return -1
    return -1


def verl_check_correctness(url, inputs, outputs, code, timeout, language, semaphore, counts):
    """check_correctness: every case on a thread pool, each call under the shared semaphore."""
    def one_case(i):
        with semaphore:
            response, error = verl_call_sandbox_api(url, code, inputs[i], timeout, timeout, 1024,
                                                    language, counts)
        return verl_case_result(response, error, outputs[i])

    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        return list(pool.map(one_case, range(len(inputs))))


# Our own function-call wrapper in the shape verl generates for fn_name problems: the
# submission, then a main that reads one JSON value per stdin line as the arguments.
def function_call_program(solution, fn_name):
    return (solution + "\n\nimport json, sys\n"
            "_args = [json.loads(line) for line in sys.stdin.read().split('\\n') if line.strip()]\n"
            f"print(json.dumps({fn_name}(*_args)))\n")


ADD = "a, b = map(int, input().split())\nprint(a + b)\n"
ADD_CPP = "#include <iostream>\nint main() { long a, b; std::cin >> a >> b; std::cout << a + b; }\n"
ADD_CASES = (["1 2", "40 2"], ["3", "42"])


def verl_plan():
    """(name, inputs, outputs, code, timeout, language, expected results)."""
    plan = []
    for i in range(8):
        plan.append((f"correct-{i}", *ADD_CASES, f"# completion {i}\n" + ADD, 3, "python",
                     [True, True]))
    for i in range(2):
        plan.append((f"wrong-{i}", *ADD_CASES, f"# completion {i}\ninput()\nprint(0)\n", 3,
                     "python", [False, False]))
    for i in range(2):
        plan.append((f"sleeper-{i}", *ADD_CASES,
                     f"# completion {i}\nimport time\ntime.sleep(30)\n", 3, "python", [-3, -3]))
    plan.append(("syntax-error", ["1 2"], ["3"], "def broken(:\n", 3, "python", [-2]))
    plan.append(("function-call", ["[1, 5, 3]\n2", "[4]\n1"], ["[5, 3]", "[4]"],
                 function_call_program("def top(xs, k):\n    return sorted(xs)[::-1][:k]\n",
                                       "top"), 3, "python", [True, True]))
    plan.append(("cpp", *ADD_CASES, ADD_CPP, 10, "cpp", [True, True]))
    plan.append(("cpp-compile-error", ["1 2"], ["3"], "int main( {", 10, "cpp", [-4]))
    return plan


# ---- OpenRLHF's remote reward client ---------------------------------------------------------

def openrlhf_post(url, payload, counts, tries=5):
    for _ in range(tries):
        try:
            status, body = post_json(url, payload, 180)
            if status < 400:
                return body
            counts.add(f"openrlhf_{status}")
        except OSError:
            counts.add("openrlhf_request_error")
        time.sleep(1)
    counts.add("openrlhf_retries_exhausted")
    return None


def completion(code):
    return "<think>add them</think>\n```python\n" + code + "```"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--max-concurrent", type=int, default=12)
    args = parser.parse_args()
    server = Server(args.binary, ["--workers", "2", "--concurrency", "2", "--queue-size", "4"])
    counts = Counts()
    failures = []
    lock = threading.Lock()
    try:
        run_code_url = server.url + "/run_code"
        reward_url = server.url + "/get_reward"
        semaphore = threading.Semaphore(args.max_concurrent)
        start = time.time()

        def verl_job(item):
            name, inputs, outputs, code, timeout, language, expected = item
            results = verl_check_correctness(run_code_url, inputs, outputs, code, timeout,
                                             language, semaphore, counts)
            if results != expected:
                with lock:
                    failures.append(f"verl {name}: {results}, expected {expected}")

        prompt = "Add two integers read from stdin.\n"

        def openrlhf_single(i):
            correct = i % 3 != 2
            code = ADD if correct else "input()\nprint(0)\n"
            query = prompt + completion(f"# sample {i}\n" + code)
            body = openrlhf_post(reward_url, {"query": [query], "prompts": [prompt],
                                              "labels": ["add-two"]}, counts)
            reward = None if body is None else body["rewards"][0]
            ok = reward is not None and (reward >= 1.0 if correct else reward < 0.5)
            if not ok:
                with lock:
                    failures.append(f"openrlhf sample {i} (correct={correct}): {reward} {body}")

        def openrlhf_batch():
            queries = [prompt + completion(f"# batch {i}\n" + ADD) for i in range(8)]
            body = openrlhf_post(reward_url, {"query": queries, "prompts": [prompt] * 8,
                                              "labels": ["add-two"] * 8}, counts)
            rewards = None if body is None else body["rewards"]
            if rewards is None or len(rewards) != 8 or min(rewards) < 1.0:
                with lock:
                    failures.append(f"openrlhf batch: {rewards}")

        with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
            jobs = [pool.submit(verl_job, item) for item in verl_plan()]
            jobs += [pool.submit(openrlhf_single, i) for i in range(12)]
            jobs.append(pool.submit(openrlhf_batch))
            for job in jobs:
                job.result()
        elapsed = time.time() - start
        metrics = server.get_metrics()
        internal = metrics.get("codejudge_internal_errors_total", 0)
        if internal:
            failures.append(f"{internal} internal errors")
        print(f"{len(verl_plan())} verl completions and 13 OpenRLHF requests in {elapsed:.1f} s; "
              f"client-side events {dict(sorted(counts.items.items()))}")
    finally:
        server.close()
    for failure in failures:
        print("FAIL", failure)
    if failures:
        return 1
    print("no correct answer lost")
    return 0


if __name__ == "__main__":
    sys.exit(main())
