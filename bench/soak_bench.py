#!/usr/bin/env python3
"""Soak: two `codejudge serve` instances on one host, each pid 1 of its own PID namespace
(`unshare --pid --fork --mount-proc`, as two containers would run them) and sharing one compile
cache, under mixed traffic from many loopback clients: valid requests with known answers,
malformed ones, hostile programs and rude clients. Bounded in requests and in time.

Every valid request's answer is checked; the report counts, per instance:
  wrong  a 200 whose verdict or output is not the known one (and is not IE)
  lost   no answer: a connection error, a timeout, a 5xx other than 503/504, or a 503/504 that
         did not clear after 50 retries honouring Retry-After
  IE     an internal error (verdict IE, reward null, SandboxError): our failure, never the
         submission's; the issue's cgroup collision between two pid-1 servers shows up here
and samples each server's VmRSS every second.

Valid requests include the two the issue saw broken by a neighbour: a program that sleeps 0.3 s
on 10 ms of CPU (TLE if the other instance's CPU burners were charged to it) and one that
allocates 3 MiB under a 64 MiB limit (MLE if the other's memory bombs were).

    bench/soak_bench.py --binary build/cli/codejudge                  # 2000 requests, <= 10 min
    bench/soak_bench.py --binary build/cli/codejudge --small --strict # CI size, fails on any

Prints a Markdown summary for docs/BENCHMARKS.md. Exit 0, or with --strict 1 when anything was
wrong, lost or IE; 77 when the sandbox (or unshare) is unavailable.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "server"))
from load_test import ADD, HOSTILE, judge_body  # noqa: E402
from server_process import Server  # noqa: E402

UNSHARE = ("unshare", "--pid", "--fork", "--mount-proc", "--kill-child")


class Tally:
    """Per-instance counts and the first few examples of each kind of failure."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.examples = {}

    def add(self, kind, example=None):
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            if example is not None and len(self.examples.setdefault(kind, [])) < 3:
                self.examples[kind].append(example[:300])


class Lost(Exception):
    pass


def call(port, method, path, body=None, tally=None, timeout=120):
    """(status, json|None); retries 503/504 after Retry-After; raises Lost."""
    for _ in range(50):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except OSError as error:
            raise Lost(f"{path}: {type(error).__name__}: {error}") from error
        finally:
            connection.close()
        if response.status in (503, 504):
            if tally is not None:
                tally.add(f"retried_{response.status}")
            time.sleep(float(response.getheader("Retry-After", "1")))
            continue
        if response.status >= 500:
            raise Lost(f"{path}: {response.status} {data[:200]!r}")
        try:
            return response.status, json.loads(data)
        except ValueError:
            return response.status, None
    raise Lost(f"{path}: still 503/504 after 50 retries")


def judged(verdict, want, body, tally, name):
    if verdict == "IE":
        tally.add("IE", f"{name}: {body}")
    elif verdict != want:
        tally.add("wrong", f"{name}: wanted {want}, got {body}")
    else:
        tally.add("ok")


def valid_judge(name, code, want, **extra):
    def scenario(port, tally):
        status, body = call(port, "POST", "/v1/judge", judge_body(code, **extra), tally)
        if status != 200 or body is None:
            tally.add("wrong", f"{name}: {status} {body}")
            return
        judged(body.get("verdict"), want, body, tally, name)
    scenario.__name__ = name
    return scenario


def valid_rewards(port, tally):
    good = "```python\n" + ADD + "```"
    items = [{"completion": good if i % 2 == 0 else "no code", "problem_id": "add-two"}
             for i in range(6)]
    status, body = call(port, "POST", "/v1/rewards", json.dumps({"items": items}), tally)
    rewards = [item.get("reward") for item in (body or {}).get("items", [])]
    if None in rewards:
        tally.add("IE", f"rewards: {body}")
    elif status != 200 or rewards != [1.0 if i % 2 == 0 else 0.0 for i in range(6)]:
        tally.add("wrong", f"rewards: {status} {rewards}")
    else:
        tally.add("ok")


def valid_run_code(port, tally):
    token = str(random.randrange(1 << 30))
    status, body = call(port, "POST", "/run_code", json.dumps(
        {"code": "print(input())", "language": "python", "stdin": token, "run_timeout": 5}),
        tally)
    if body and body.get("status") == "SandboxError":
        tally.add("IE", f"run_code: {body}")
    elif status != 200 or not body or body.get("run_result", {}).get("stdout") != token + "\n":
        tally.add("wrong", f"run_code: {status} {body}")
    else:
        tally.add("ok")


def malformed(port, tally):
    path = random.choice(["/v1/judge", "/v1/rewards", "/run_code", "/get_reward"])
    body = random.choice(["{", "[]", '{"language": 3}', '{"code": "x", "language": "cobol"}'])
    status, answer = call(port, "POST", path, body, tally)
    if status != 400 or not answer or "error" not in answer:
        tally.add("wrong", f"malformed {path} {body!r}: {status} {answer}")
    else:
        tally.add("rejected")


def hostile(port, tally):
    name, code = random.choice(list(HOSTILE.items()) +
                               [("cpu_burner", "while True:\n    pass\n")])
    status, body = call(port, "POST", "/v1/judge", judge_body(
        code, limits={"time_ms": 1000, "memory_mb": 64}, stop_on_first_failure=True), tally)
    verdict = (body or {}).get("verdict")
    if verdict == "IE":
        tally.add("IE", f"hostile {name}: {body}")
    elif status != 200 or verdict in (None, "AC"):
        tally.add("wrong", f"hostile {name}: {status} {body}")
    else:
        tally.add("hostile_contained")


def rude(port, tally):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        if random.random() < 0.5:
            s.sendall(bytes(random.randrange(256) for _ in range(200)) + b"\r\n\r\n")
        else:
            s.sendall(b"POST /v1/judge HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")  # and vanish
    tally.add("rude")


SLEEPER = "import time\na, b = map(int, input().split())\ntime.sleep(0.3)\nprint(a + b)\n"
SMALL_MEMORY = "a, b = map(int, input().split())\nx = bytearray(3 << 20)\nprint(a + b)\n"
SCENARIOS = [
    (valid_judge("valid_ac", ADD, "AC"), 20),
    (valid_judge("valid_wa", "input()\nprint(3)\n", "WA"), 6),
    (valid_judge("sleeps_on_little_cpu", SLEEPER, "AC", limits={"time_ms": 2000}), 8),
    (valid_judge("small_memory", SMALL_MEMORY, "AC", limits={"memory_mb": 64}), 8),
    (valid_rewards, 6), (valid_run_code, 10), (malformed, 10), (hostile, 16), (rude, 6),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="per instance")
    parser.add_argument("--small", action="store_true", help="200 requests, 120 s, 8 clients")
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if args.small:
        args.requests, args.seconds, args.clients = 200, 120, 8
    if shutil.which("unshare") is None:
        print("SKIP: unshare (util-linux) is not installed")
        return 77
    random.seed(args.seed)
    cache = tempfile.mkdtemp(prefix="codejudge-soak-cache-")  # shared on purpose
    servers = []
    try:
        for _ in range(2):
            servers.append(Server(args.binary, ["--workers", str(args.workers)],
                                  wrapper=UNSHARE, cache_dir=cache))
        tallies = [Tally(), Tally()]
        rss = [[], []]  # (seconds since start, MiB) per server
        plan = [s for s, weight in SCENARIOS for _ in range(weight)]
        remaining = [args.requests]
        lock = threading.Lock()
        start = time.time()
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                for i, server in enumerate(servers):
                    rss[i].append((time.time() - start, server.rss_kb() / 1024))
                stop.wait(1)

        def client(index):
            rng = random.Random(args.seed * 1000 + index)
            while time.time() - start < args.seconds:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                which = rng.randrange(2)
                scenario = rng.choice(plan)
                try:
                    scenario(servers[which].port, tallies[which])
                except Lost as error:
                    tallies[which].add("lost", f"{scenario.__name__}: {error}")
                except OSError as error:  # a rude client's own connect failing
                    tallies[which].add("lost", f"{scenario.__name__}: {error}")

        sampler = threading.Thread(target=sample)
        sampler.start()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.time() - start
        time.sleep(2)  # let the last rude connections time out
        stop.set()
        sampler.join()
        logged_ie = [server.read_log().count('"verdict":"IE"') for server in servers]
        sent = args.requests - remaining[0]
        print(f"{sent} requests from {args.clients} clients in {elapsed:.0f} s, two instances "
              f"(pid 1 of their own PID namespaces, one shared compile cache), "
              f"{args.workers} workers each\n")
        print("| instance | answered ok | rejected as malformed | hostile contained | wrong | "
              "lost | IE | 503/504 retried | RSS MiB first / peak / last |")
        print("|---|---|---|---|---|---|---|---|---|")
        bad = 0
        for i, tally in enumerate(tallies):
            c = tally.counts
            samples = [mib for _, mib in rss[i]] or [0]
            retried = c.get("retried_503", 0) + c.get("retried_504", 0)
            print(f"| {'AB'[i]} | {c.get('ok', 0)} | {c.get('rejected', 0)} | "
                  f"{c.get('hostile_contained', 0)} | {c.get('wrong', 0)} | {c.get('lost', 0)} | "
                  f"{c.get('IE', 0)} (log: {logged_ie[i]}) | {retried} | "
                  f"{samples[0]:.0f} / {max(samples):.0f} / {samples[-1]:.0f} |")
            bad += c.get("wrong", 0) + c.get("lost", 0) + c.get("IE", 0)
        for i, tally in enumerate(tallies):
            for kind in ("IE", "wrong", "lost"):
                for example in tally.examples.get(kind, []):
                    print(f"  {'AB'[i]} {kind}: {example}")
        timeline = " ".join(f"{t:.0f}s:{a:.0f}/{b:.0f}"
                            for (t, a), (_, b) in list(zip(rss[0], rss[1]))[::max(1, len(rss[0]) // 12)])
        print(f"\nRSS over time (MiB, A/B): {timeline}")
    finally:
        for server in servers:
            server.close()
        shutil.rmtree(cache, ignore_errors=True)
    return 1 if args.strict and bad else 0


if __name__ == "__main__":
    sys.exit(main())
