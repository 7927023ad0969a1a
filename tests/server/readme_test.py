#!/usr/bin/env python3
"""Runs every command of README.md (or of another document: --readme docs/API.md) against a live
server, as a new user would.

The document's ```sh blocks are run in order, each line through bash, from a scratch directory
laid out like the repository (build/, problems/, examples/ link to the real ones), so that
commands that write files (a training run's runs/NAME/) leave nothing in the source tree:
- the `scripts/serve` line starts the server through scripts/serve itself (on this build tree,
  with an ephemeral port; 127.0.0.1:8080 in later commands is rewritten to it);
- `scripts/test` is not run: it is what runs this test (and CI runs it);
- `scripts/train` is not run: it needs PyTorch with CUDA (docs/TRAINING.md);
- a command of the trainer is run only where the trainer was built (LibTorch found).
A ```sh block followed by a ```json block must print JSON that contains that block: every key
shown with the value shown, lists of the same length (the README shows stable fields only).
Measurements (keys ending in _ms, _kb or _bytes, and SandboxFusion's execution_time) vary from
run to run: there any number of the same kind (integer or not) matches.

Exit 0 on success, 1 on a failed check, 77 (skipped) when the sandbox cannot start here.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from server_process import Server

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOT_RUN = {
    "scripts/test": "it runs this test; CI runs it",
    "scripts/train": "needs PyTorch with CUDA",
}
MEASURED = re.compile(r"(_ms|_kb|_bytes|^execution_time)$")
failures = []


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f": {detail}"))
    if not condition:
        failures.append(name)


def blocks(markdown):
    """[(language, text)] of the fenced blocks, in order."""
    return [(m.group(1), m.group(2))
            for m in re.finditer(r"^```(\w*)\n(.*?)^```\s*$", markdown, re.S | re.M)]


def commands(block):
    """The block's commands, as the shell splits them: a newline outside quotes and not after
    a backslash ends one (so a quoted JSON body may span lines); comments are dropped."""
    out, current, quote, i = [], "", None, 0
    while i < len(block):
        c = block[i]
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "\\" and block[i + 1:i + 2] == "\n":
            current += " "
            i += 2
            continue
        elif c == "#" and (not current or current[-1].isspace()):
            while i < len(block) and block[i] != "\n":
                i += 1
            continue
        elif c == "\n":
            if current.strip():
                out.append(current.strip())
            current = ""
            i += 1
            continue
        current += c
        i += 1
    if current.strip():
        out.append(current.strip())
    return out


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def contains(actual, shown, path="$"):
    """'' when `actual` has everything `shown` has, else where it differs."""
    if isinstance(shown, dict):
        if not isinstance(actual, dict):
            return f"{path}: expected an object, got {actual!r}"
        for key, value in shown.items():
            if key not in actual:
                return f"{path}.{key}: missing"
            if MEASURED.search(key) and is_number(value):
                if not is_number(actual[key]) or type(actual[key]) is not type(value):
                    return f"{path}.{key}: expected a measurement like {value!r}, got {actual[key]!r}"
                continue
            diff = contains(actual[key], value, f"{path}.{key}")
            if diff:
                return diff
        return ""
    if isinstance(shown, list):
        if not isinstance(actual, list) or len(actual) != len(shown):
            return f"{path}: expected a list of {len(shown)}, got {actual!r}"
        for i, (a, s) in enumerate(zip(actual, shown)):
            diff = contains(a, s, f"{path}[{i}]")
            if diff:
                return diff
        return ""
    if isinstance(shown, float) or isinstance(actual, float):
        ok = isinstance(actual, (int, float)) and abs(actual - shown) < 1e-9
    else:
        ok = actual == shown and type(actual) is type(shown)
    return "" if ok else f"{path}: expected {shown!r}, got {actual!r}"


def cached_preset(build_dir):
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith("CODEJUDGE_PRESET:"):
                    return line.split("=", 1)[1].strip()
    except FileNotFoundError:
        pass
    return ""


def start_server(binary, serve_command):
    """scripts/serve on this build tree (a no-op build), with the README's own arguments."""
    build_dir = os.path.dirname(os.path.dirname(binary))
    preset = cached_preset(build_dir)
    args = serve_command.split()[1:]
    if not preset:
        # A tree configured by hand (not from CMakePresets.json): scripts/serve would
        # reconfigure it. Serve the way scripts/serve does, from this tree's binary.
        print(f"note: {build_dir} has no preset; running {binary} serve as scripts/serve would")
        server = Server(binary, command=[binary, "serve", "--host", "127.0.0.1", "--problems",
                                         os.path.join(ROOT, "problems"), *args], problems=None)
        server.via_script = False
        return server
    env = dict(os.environ, BUILD_DIR=build_dir, PRESET=preset)
    server = Server(binary, command=[os.path.join(ROOT, "scripts", "serve"), *args],
                    problems=None, env=env, start_timeout_s=600)
    server.via_script = True
    return server


def scratch_root():
    """A directory where the README's relative paths resolve to this checkout and build."""
    path = tempfile.mkdtemp(prefix="codejudge-readme-")
    for name in ("problems", "examples", "docs"):
        os.symlink(os.path.join(ROOT, name), os.path.join(path, name))
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--readme", default=os.path.join(ROOT, "README.md"))
    args = parser.parse_args()
    build_dir = os.path.dirname(os.path.dirname(os.path.abspath(args.binary)))
    with open(args.readme) as f:
        fenced = blocks(f.read())

    server = None
    cwd = scratch_root()
    os.symlink(build_dir, os.path.join(cwd, "build"))
    ran = 0
    try:
        for index, (language, text) in enumerate(fenced):
            if language != "sh":
                continue
            expected = None
            if index + 1 < len(fenced) and fenced[index + 1][0] == "json":
                expected = json.loads(fenced[index + 1][1])
            for command in commands(text):
                head = command.split()[0]
                if head == "scripts/serve":
                    started = time.monotonic()
                    server = start_server(args.binary, command)
                    check(f"scripts/serve listens after {time.monotonic() - started:.1f} s",
                          server.port is not None)
                    if server.via_script:
                        # The tree is built: switching from the test build to serving must
                        # neither reconfigure nor compile anything.
                        log = server.read_log()
                        check("scripts/serve reconfigured and compiled nothing",
                              "configuring" not in log and "Building" not in log, log[-2000:])
                    continue
                if head in NOT_RUN:
                    print(f"skip {command!r}: {NOT_RUN[head]}")
                    continue
                if head == "build/cli/codejudge-train" and not os.path.exists(
                        os.path.join(build_dir, head[len("build/"):])):
                    print(f"skip {command!r}: the trainer is not built here (no LibTorch)")
                    continue
                if server is None:
                    check(f"{command!r} comes after scripts/serve", False)
                    continue
                shell = re.sub(r"(127\.0\.0\.1|localhost):8080", f"127.0.0.1:{server.port}",
                               command)
                result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], cwd=cwd,
                                        capture_output=True, text=True, timeout=600)
                ran += 1
                name = command.splitlines()[0][:70]
                check(f"{name} exits 0", result.returncode == 0,
                      f"exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
                if expected is not None:
                    try:
                        actual = json.loads(result.stdout)
                        diff = contains(actual, expected)
                    except json.JSONDecodeError as e:
                        diff = f"not JSON ({e}): {result.stdout[:500]!r}"
                    check(f"{name} answers as shown", not diff, diff)
        check("the README has commands to run", ran > 0 and server is not None)
        if server is not None:
            code = server.stop()
            check("the server drains and exits 0", code == 0, server.read_log()[-2000:])
    finally:
        if server is not None:
            server.close()
        shutil.rmtree(cwd, ignore_errors=True)
    if failures:
        print(f"{len(failures)} README check(s) failed: {failures}")
        return 1
    print("all README commands ran as shown")
    return 0


if __name__ == "__main__":
    sys.exit(main())
