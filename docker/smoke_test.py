#!/usr/bin/env python3
"""Smoke test of a running codejudge container; docker/build-and-smoke.sh starts it.

Checks, in order: /healthz answers; `codejudge doctor` inside the container says the sandbox is
safe; every language is installed and a correct solution of the bundled problem
`digital-root-steps` in each is AC with every test passed; hostile programs are contained (a
fork bomb leaves no process behind, writes outside the sandbox land nowhere in the container,
kill(-1) and a kill of PID 1 do not hurt the server); then SIGTERM while a request is in
flight: new work is refused, the in-flight request completes with its verdict, and the
container exits 0. Prints one line per check; exit 0 when all pass.
"""

import argparse
import json
import shlex
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

PROBLEM = "digital-root-steps"  # stdio: every language can solve it
SOLUTIONS = {
    "python": """s = input().strip()
steps = 0
while len(s) > 1:
    s = str(sum(map(int, s)))
    steps += 1
print(steps, s)
""",
    "cpp": """#include <iostream>
#include <string>
int main() {
    std::string s;
    std::cin >> s;
    int steps = 0;
    while (s.size() > 1) {
        long long t = 0;
        for (char c : s) t += c - '0';
        s = std::to_string(t);
        ++steps;
    }
    std::cout << steps << ' ' << s << '\\n';
}
""",
    "c": """#include <stdio.h>
#include <string.h>
static char s[100005];
int main(void) {
    if (scanf("%100004s", s) != 1) return 1;
    int steps = 0;
    while (strlen(s) > 1) {
        long long t = 0;
        for (char *p = s; *p; ++p) t += *p - '0';
        sprintf(s, "%lld", t);
        ++steps;
    }
    printf("%d %s\\n", steps, s);
    return 0;
}
""",
    "java": """import java.io.*;
public class Main {
    public static void main(String[] args) throws IOException {
        String s = new BufferedReader(new InputStreamReader(System.in)).readLine().trim();
        int steps = 0;
        while (s.length() > 1) {
            long t = 0;
            for (int i = 0; i < s.length(); i++) t += s.charAt(i) - '0';
            s = Long.toString(t);
            steps++;
        }
        System.out.println(steps + " " + s);
    }
}
""",
    "javascript": """let s = require('fs').readFileSync(0, 'utf8').trim();
let steps = 0;
while (s.length > 1) {
  let t = 0;
  for (const c of s) t += c.charCodeAt(0) - 48;
  s = String(t);
  steps++;
}
console.log(steps + ' ' + s);
""",
    "rust": """use std::io::Read;
fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let mut s = input.trim().to_string();
    let mut steps = 0;
    while s.len() > 1 {
        let t: u64 = s.bytes().map(|b| (b - b'0') as u64).sum();
        s = t.to_string();
        steps += 1;
    }
    println!("{} {}", steps, s);
}
""",
    "go": """package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	line, _ := bufio.NewReaderSize(os.Stdin, 1<<20).ReadString('\\n')
	s := strings.TrimSpace(line)
	steps := 0
	for len(s) > 1 {
		t := 0
		for _, c := range s {
			t += int(c - '0')
		}
		s = strconv.Itoa(t)
		steps++
	}
	fmt.Println(steps, s)
}
""",
}

# Each hostile program is judged against the same problem; its verdict must be a program
# outcome (never AC, never IE), and what it tried is checked from outside afterwards.
MARK = "/tmp/codejudge-smoke-escape"
HOSTILE = {
    "fork bomb": ("c", """#include <unistd.h>
int main(void) { for (;;) fork(); }
"""),
    "writes outside the sandbox": ("python", f"""import os
for path in ["{MARK}", "/opt/codejudge/problems/pwned.jsonl", "/var/cache/codejudge/pwned",
             "/usr/local/bin/pwned", "/root/pwned"]:
    try:
        with open(path, "w") as f:
            f.write("x")
    except OSError:
        pass
raise SystemExit(3)
"""),
    "kill(-1) and kill(1)": ("python", """import os, signal
for pid in (-1, 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
raise SystemExit(3)
"""),
}
OUTSIDE_PATHS = [MARK, "/opt/codejudge/problems/pwned.jsonl", "/var/cache/codejudge/pwned",
                 "/usr/local/bin/pwned", "/root/pwned"]

failures = []


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f": {detail}"),
          flush=True)
    if not condition:
        failures.append(name)
    return condition


def request(url, body=None, timeout=120):
    """(status, parsed JSON or text); status 0 when the connection failed."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data,
                                 headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
        return 0, str(e)
    try:
        return status, json.loads(text)
    except json.JSONDecodeError:
        return status, text


def run(command, timeout=120):
    return subprocess.run(shlex.split(command) if isinstance(command, str) else command,
                          capture_output=True, text=True, timeout=timeout)


def process_count(exec_prefix):
    result = run(f"{exec_prefix} sh -c 'ls -d /proc/[0-9]* | wc -l'")
    return int(result.stdout.strip()) if result.returncode == 0 else -1


def judge(url, language, code, **extra):
    body = {"problem_id": PROBLEM, "language": language, "code": code, **extra}
    return request(url + "/v1/judge", body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--exec", required=True, help="command prefix that runs in the container")
    parser.add_argument("--stop", required=True, help="sends the container SIGTERM")
    parser.add_argument("--wait", required=True, help="waits for the container, prints its exit code")
    parser.add_argument("--logs", required=True, help="prints the container's log")
    args = parser.parse_args()
    url = args.url

    deadline = time.time() + 180
    status, health = 0, None
    while time.time() < deadline:
        status, health = request(url + "/healthz", timeout=5)
        if status == 200:
            break
        time.sleep(1)
    if not check("/healthz answers 200", status == 200, f"{status} {health}"):
        print(run(args.logs).stderr[-3000:])
        return 1
    check("the bundled problems are loaded",
          isinstance(health, dict) and health.get("problems", 0) >= 50, health)

    doctor = run(f"{args.exec} codejudge doctor")
    try:
        report = json.loads(doctor.stdout)
    except json.JSONDecodeError:
        report = {}
    check("codejudge doctor passes inside the container",
          doctor.returncode == 0 and report.get("safe") is True,
          f"exit {doctor.returncode}: {doctor.stdout[-1500:]} {doctor.stderr[-500:]}")

    status, languages = request(url + "/v1/languages")
    entries = (languages or {}).get("languages", []) if status == 200 else []
    listed = {entry["name"] for entry in entries}
    available = {entry["name"] for entry in entries if entry.get("available")}
    # The server's language table decides what is listed; each one must be installed and judged.
    check("every listed language is installed and has a solution here",
          listed == available == set(SOLUTIONS),
          f"listed: {sorted(listed)}, available: {sorted(available)}")

    for language, code in SOLUTIONS.items():
        started = time.time()
        status, result = judge(url, language, code)
        ok = (status == 200 and result.get("verdict") == "AC"
              and result.get("passed") == result.get("total") and result.get("total", 0) > 0)
        detail = result if not ok else ""
        check(f"{language}: AC {result.get('passed')}/{result.get('total')} "
              f"in {time.time() - started:.1f} s" if ok else f"{language}: AC", ok, detail)

    baseline = process_count(args.exec)
    for name, (language, code) in HOSTILE.items():
        status, result = judge(url, language, code, stop_on_first_failure=True)
        verdict = result.get("verdict") if isinstance(result, dict) else None
        check(f"{name}: judged {verdict} (a program outcome)",
              status == 200 and verdict not in (None, "AC", "IE"), f"{status} {result}")
    # The sandbox kills a run's whole process tree before answering; allow the reaper a moment.
    count = -1
    for _ in range(20):
        count = process_count(args.exec)
        if 0 <= count <= baseline:
            break
        time.sleep(0.25)
    check(f"no process left behind ({count} in the container, {baseline} before)",
          0 <= count <= baseline, f"{count} > {baseline}")
    leftover = [p for p in OUTSIDE_PATHS if run(f"{args.exec} test -e {p}").returncode == 0]
    check("no write outside the sandbox reached the container", not leftover, leftover)
    status, health = request(url + "/healthz", timeout=5)
    check("the server is healthy after the hostile programs", status == 200, f"{status} {health}")

    # SIGTERM with a request in flight: it must complete; new work is refused; exit 0.
    slow = {"language": "python", "mode": "stdio",
            "code": "import time\nt = time.time()\nwhile time.time() - t < 3:\n    pass\n"
                    "print('done')\n",
            "tests": [{"input": "", "output": "done\n"}], "limits": {"time_ms": 10000}}
    outcome = {}

    def in_flight():
        outcome["answer"] = request(url + "/v1/judge", slow, timeout=120)

    thread = threading.Thread(target=in_flight)
    thread.start()
    for _ in range(100):
        status, health = request(url + "/healthz", timeout=5)
        if isinstance(health, dict) and health.get("in_flight", 0) >= 1:
            break
        time.sleep(0.05)
    stop = run(args.stop)
    check("SIGTERM sent", stop.returncode == 0, stop.stderr)
    time.sleep(0.5)
    status, refused = request(url + "/v1/judge", {"problem_id": PROBLEM, "language": "python",
                                                  "code": SOLUTIONS["python"]}, timeout=10)
    check(f"new work refused while draining ({status or 'connection refused'})",
          status in (0, 503), f"{status} {refused}")
    thread.join(timeout=120)
    status, answer = outcome.get("answer", (0, "no answer"))
    check("the in-flight request completed with its verdict",
          status == 200 and isinstance(answer, dict) and answer.get("verdict") == "AC",
          f"{status} {answer}")
    waited = run(args.wait, timeout=180)
    check("the container exited 0 after the drain",
          waited.returncode == 0 and waited.stdout.strip() == "0",
          f"{waited.stdout.strip()} {waited.stderr.strip()}")
    logs = run(args.logs)
    check("the server logged the drain", "drain" in (logs.stdout + logs.stderr).lower(),
          (logs.stdout + logs.stderr)[-1500:])

    if failures:
        print(f"{len(failures)} smoke check(s) failed: {failures}")
        print((logs.stdout + logs.stderr)[-3000:])
        return 1
    print("all smoke checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
