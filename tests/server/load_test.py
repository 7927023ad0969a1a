#!/usr/bin/env python3
"""Bounded load test of a real `codejudge serve` on loopback.

A fixed number of requests from several client threads, mixing valid submissions (checked
against their known verdicts), malformed and oversized bodies, hostile programs (fork and
memory bombs, floods, endless loops), raw garbage and clients that vanish mid-request. Passes
when every valid request got its correct answer (503s, and /run_code's 504s, are retried after
Retry-After, as a trainer would), nothing was answered with another 5xx, the server is still
healthy, no verdict was IE, and its memory (VmRSS) came back near its warmed-up baseline.

Exit 0 on success, 1 on failure, 77 (skipped) when the sandbox cannot start here.
"""

import argparse
import http.client
import json
import random
import socket
import sys
import threading
import time

from server_process import Server

ADD = "a, b = map(int, input().split())\nprint(a + b)\n"
HOSTILE = {
    "fork_bomb": "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
    "memory_bomb": "x = []\nwhile True:\n    x.append(bytearray(1 << 24))\n",
    "endless": "while True:\n    pass\n",
    "output_flood": "import sys\nwhile True:\n    sys.stdout.write('y' * 65536)\n",
    "stderr_flood": "import sys\nwhile True:\n    sys.stderr.write('e' * 65536)\n",
    "sleeper": "import time\ntime.sleep(60)\n",
    "network": "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=1)\n",
    "secret": "print(open('/etc/shadow').read())\n",
    "kill_parent": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.kill(1, signal.SIGKILL)\n",
    "thread_bomb": "import threading, time\nwhile True:\n    threading.Thread(target=time.sleep, args=(60,)).start()\n",
}


class Failures:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = []
        self.counts = {}

    def count(self, kind):
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1

    def add(self, text):
        with self.lock:
            self.items.append(text)


def request(port, method, path, body=None, content_type="application/json", timeout=60):
    """One request on a fresh connection; retries 503 (and /run_code's 504) after Retry-After.
    (status, json|None)."""
    for _ in range(50):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            headers = {"Content-Type": content_type} if body is not None else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            if response.status in (503, 504):
                time.sleep(float(response.getheader("Retry-After", "1")))
                continue
            try:
                return response.status, json.loads(data)
            except ValueError:
                return response.status, None
        finally:
            connection.close()
    return 503, None


def judge_body(code, problem="add-two", **extra):
    return json.dumps({"language": "python", "code": code, "problem_id": problem, **extra})


def scenario_valid_ac(port, failures):
    status, body = request(port, "POST", "/v1/judge", judge_body(ADD))
    if status != 200 or body["verdict"] != "AC" or body["passed"] != 4:
        failures.add(f"valid AC: {status} {body}")


def scenario_valid_wa(port, failures):
    status, body = request(port, "POST", "/v1/judge", judge_body("input()\nprint(3)\n"))
    if status != 200 or body["verdict"] != "WA" or body["passed"] != 1:
        failures.add(f"valid WA: {status} {body}")


def scenario_rewards(port, failures):
    good = "```python\n" + ADD + "```"
    items = [{"completion": good if i % 2 == 0 else "no code", "problem_id": "add-two"}
             for i in range(8)]
    status, body = request(port, "POST", "/v1/rewards", json.dumps({"items": items}))
    if status != 200:
        failures.add(f"rewards: {status} {body}")
        return
    rewards = [item["reward"] for item in body["items"]]
    if rewards != [1.0 if i % 2 == 0 else 0.0 for i in range(8)]:
        failures.add(f"rewards values: {rewards}")


def scenario_run_code(port, failures):
    token = str(random.randrange(1 << 30))
    status, body = request(port, "POST", "/run_code", json.dumps(
        {"code": "print(input())", "language": "python", "stdin": token}))
    if status != 200 or body["status"] != "Success" or body["run_result"]["stdout"] != token + "\n":
        failures.add(f"run_code: {status} {body}")


def scenario_malformed(port, failures):
    anywhere = ["{", "[]", '{"language": 3}', "\xff\xfe", '{"submissions": 7}',
                '{"code": "x", "language": "cobol"}']
    # Valid for /run_code, which ignores fields it does not know, as SandboxFusion does.
    judge_only = ['{"language":"python","code":"x"}',
                  '{"language":"python","code":"x","problem_id":"add-two","limits":{"time_ms":-1}}']
    path = random.choice(["/v1/judge", "/v1/judge/batch", "/v1/rewards", "/run_code"])
    body = random.choice(anywhere + (judge_only if path == "/v1/judge" else []))
    status, answer = request(port, "POST", path, body.encode("utf-8", "surrogateescape"))
    if status != 400 or not answer or "error" not in answer:
        failures.add(f"malformed {path} {body!r}: {status} {answer}")


def scenario_oversized(port, failures):
    body = json.dumps({"language": "python", "code": "#" * (3 << 19), "problem_id": "add-two"})
    try:
        status, answer = request(port, "POST", "/v1/judge", body)
        if status != 413:
            failures.add(f"oversized: {status} {answer}")
    except (ConnectionError, OSError):
        failures.count("oversized_reset")  # the server may close before reading it all


def scenario_hostile(port, failures):
    name, code = random.choice(list(HOSTILE.items()))
    status, body = request(port, "POST", "/v1/judge", judge_body(
        code, limits={"time_ms": 500, "memory_mb": 64}, stop_on_first_failure=True))
    if status != 200 or body["verdict"] in ("AC", "IE"):
        failures.add(f"hostile {name}: {status} {body}")
    else:
        failures.count("hostile_" + body["verdict"])


def scenario_disconnect(port, failures):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        kind = random.randrange(3)
        payload = judge_body(ADD).encode()
        head = (f"POST /v1/judge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n").encode()
        if kind == 0:
            s.sendall(head[:20])  # gone inside the headers
        elif kind == 1:
            s.sendall(head + payload[:10])  # gone inside the body
        else:
            s.sendall(head + payload)  # gone before the answer
    failures.count("disconnect")


def scenario_garbage(port, failures):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(bytes(random.randrange(256) for _ in range(random.randrange(1, 300))) +
                  b"\r\n\r\n")
        try:
            s.recv(4096)
        except OSError:
            pass
    failures.count("garbage")


SCENARIOS = [
    (scenario_valid_ac, 20), (scenario_valid_wa, 10), (scenario_rewards, 6),
    (scenario_run_code, 10), (scenario_malformed, 15), (scenario_oversized, 3),
    (scenario_hostile, 8), (scenario_disconnect, 10), (scenario_garbage, 8),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--requests", type=int, default=360)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    random.seed(args.seed)
    server = Server(args.binary, ["--max-body-mb", "1", "--queue-size", "32",
                                  "--read-timeout-s", "5"])
    failures = Failures()
    try:
        # Warm up every path once, so the baseline includes the caches and arenas a steady
        # server has.
        for scenario, _ in SCENARIOS:
            scenario(server.port, failures)
        time.sleep(1)
        baseline_kb = server.rss_kb()
        plan = [s for s, weight in SCENARIOS for _ in range(weight)]
        peak_kb = [baseline_kb]

        def run_round(count):
            work = [random.choice(plan) for _ in range(count)]
            lock = threading.Lock()

            def client():
                while True:
                    with lock:
                        if not work:
                            return
                        scenario = work.pop()
                    try:
                        scenario(server.port, failures)
                    except Exception as error:  # noqa: BLE001 - report every kind
                        failures.add(f"{scenario.__name__}: {type(error).__name__}: {error}")
                    peak_kb[0] = max(peak_kb[0], server.rss_kb())

            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            # Let vanished clients' sessions time out and in-flight work finish.
            deadline = time.time() + 20
            while time.time() < deadline and request(server.port, "GET", "/healthz")[1]["in_flight"] > 1:
                time.sleep(0.2)
            time.sleep(2)
            return server.rss_kb()

        # Two rounds: the first shows the memory a loaded server settles at, the second that
        # nothing grows with the number of requests served.
        start = time.time()
        first_kb = run_round(args.requests // 2)
        second_kb = run_round(args.requests - args.requests // 2)
        elapsed = time.time() - start
        status, health = request(server.port, "GET", "/healthz")
        if status != 200 or health["status"] != "ok":
            failures.add(f"unhealthy after the load: {status} {health}")
        print(f"{args.requests} requests from {args.clients} clients in {elapsed:.1f} s; "
              f"RSS baseline {baseline_kb} kB, peak {peak_kb[0]} kB, after round 1 {first_kb} kB, "
              f"after round 2 {second_kb} kB; counts {dict(sorted(failures.counts.items()))}")
        if first_kb > baseline_kb * 1.25 + 16 * 1024:
            failures.add(f"memory did not return: baseline {baseline_kb} kB, after {first_kb} kB")
        if second_kb > first_kb + 6 * 1024:
            failures.add(f"memory grows with requests: {first_kb} kB, then {second_kb} kB")
        code = server.stop()
        if code != 0:
            failures.add(f"exit code after SIGTERM: {code}")
        log = server.read_log()
        if '"verdict":"IE"' in log:
            failures.add("an IE verdict was logged")
    finally:
        server.close()
    for failure in failures.items[:30]:
        print("FAIL", failure)
    if failures.items:
        print(f"{len(failures.items)} failure(s)")
        return 1
    print("load test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
