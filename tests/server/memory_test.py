#!/usr/bin/env python3
"""Concurrent maximal bodies against a real `codejudge serve`: memory stays bounded, comes back,
and /healthz keeps answering.

Sends --bodies requests at once for each body shape, each about --body-mb MiB: long strings (the
common case: code, stdin, completions), numbers in arrays (dense, parsed within the budget) and
tiny objects (so dense that parsing them alone would need more than the parse budget: 413).
Each body is a valid /v1/judge request plus one unknown field, so it is parsed whole and then
refused with a 400 without judging. Meanwhile /healthz is polled every 20 ms.

Passes when every request got its expected status, the server's peak VmRSS stayed under
its idle RSS + --body-budget-mb + --parse-budget-mb + 64 MiB (docs/DEPLOY.md, the memory bound),
its RSS came back within 32 MiB of idle after the burst, and no /healthz took a second (the
100 ms goal is a benchmark number: docs/BENCHMARKS.md).

    memory_test.py --binary build/cli/codejudge                 # the CI size
    memory_test.py --binary ... --body-mb 31 --bodies 4 --defaults  # the issue's case

Exit 0 on success, 1 on failure, 77 (skipped) when the sandbox cannot start here.
"""

import argparse
import http.client
import sys
import threading
import time

from server_process import Server

HEAD = '{"language": "python", "code": "x", "problem_id": "add-two", "junk": '


def body(shape, size):
    """A /v1/judge body of about size bytes whose "junk" field has the shape."""
    room = size - len(HEAD) - 4
    if shape == "strings":
        unit = '"' + "s" * 1000 + '",'
    elif shape == "numbers":
        unit = "123456789012,"
    else:  # objects
        unit = '{"a":1},'
    return (HEAD + "[" + (unit * (room // len(unit)))[:-1] + "]}").encode()


def post(port, data, out, i):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request("POST", "/v1/judge", body=data,
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        out[i] = response.status
    except OSError as error:
        out[i] = f"{type(error).__name__}: {error}"
    finally:
        connection.close()


def burst(server, shape, bodies, size):
    """Sends the bodies at once; returns (statuses, peak RSS kB, /healthz latencies in s)."""
    data = body(shape, size)
    statuses = [None] * bodies
    peak = [server.rss_kb()]
    latencies = []
    done = threading.Event()

    def poll_health():
        while not done.is_set():
            start = time.time()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                connection.request("GET", "/healthz")
                connection.getresponse().read()
                connection.close()
            except OSError:
                pass  # counted as a 30 s latency below
            latencies.append(time.time() - start)
            peak[0] = max(peak[0], server.rss_kb())
            time.sleep(0.02)

    poller = threading.Thread(target=poll_health)
    poller.start()
    senders = [threading.Thread(target=post, args=(server.port, data, statuses, i))
               for i in range(bodies)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    done.set()
    poller.join()
    return statuses, peak[0], sorted(latencies)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--bodies", type=int, default=6)
    parser.add_argument("--body-mb", type=int, default=12)
    parser.add_argument("--defaults", action="store_true",
                        help="the server's default budgets and body limit, not the small ones")
    args = parser.parse_args()
    budgets = {"max-body-mb": 32, "body-budget-mb": 256, "parse-budget-mb": 256}
    flags = ["--workers", "2"]
    if not args.defaults:
        budgets = {"max-body-mb": 16, "body-budget-mb": 48, "parse-budget-mb": 48}
        for name, value in budgets.items():
            flags += [f"--{name}", str(value)]
    size = args.body_mb << 20
    expected = {"strings": 400, "numbers": 400, "objects": 413}
    server = Server(args.binary, flags)
    failures = []
    try:
        time.sleep(0.5)
        idle_kb = server.rss_kb()
        bound_kb = idle_kb + (budgets["body-budget-mb"] + budgets["parse-budget-mb"] + 64) * 1024
        print(f"| shape | bodies x MiB | idle RSS MiB | peak RSS MiB | after 5 s MiB | "
              f"/healthz p50 / p99 / max ms | statuses |")
        print("|---|---|---|---|---|---|---|")
        for shape, status in expected.items():
            statuses, peak_kb, latencies = burst(server, shape, args.bodies, size)
            # The last parse trims the allocator's free memory once it is done.
            deadline = time.time() + 5
            while time.time() < deadline and server.rss_kb() > idle_kb + 32 * 1024:
                time.sleep(0.1)
            after_kb = server.rss_kb()
            p50 = latencies[len(latencies) // 2] * 1000
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
            worst = latencies[-1] * 1000
            print(f"| {shape} | {args.bodies} x {args.body_mb} | {idle_kb // 1024} | "
                  f"{peak_kb // 1024} | {after_kb // 1024} | {p50:.0f} / {p99:.0f} / {worst:.0f} | "
                  f"{sorted(set(map(str, statuses)))} |")
            if any(s != status for s in statuses):
                failures.append(f"{shape}: statuses {statuses}, expected {status}")
            if peak_kb > bound_kb:
                failures.append(f"{shape}: peak RSS {peak_kb} kB over the bound {bound_kb} kB")
            if after_kb > idle_kb + 32 * 1024:
                failures.append(f"{shape}: RSS {after_kb} kB did not come back to {idle_kb} kB")
            if worst >= 1000:
                failures.append(f"{shape}: a /healthz took {worst:.0f} ms")
    finally:
        server.close()
    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
