"""Starts a real `codejudge serve` on an ephemeral port for the Python-driven server tests."""

import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

SKIP = 77  # ctest SKIP_RETURN_CODE: the sandbox cannot start on this host
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "data")


def _die_with_parent():
    # If the test is killed (a ctest timeout), the server must not outlive it.
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Server:
    """`command` starts the server (default: BINARY serve) and gets the flags below appended;
    `problems` None leaves --problems to that command. wrapper: a command the server runs
    under, such as ("unshare", "--pid", "--fork", "--mount-proc", "--kill-child"); cache_dir: a
    compile cache to use instead of a fresh one (two servers may share one)."""

    def __init__(self, binary, extra_args=(), log_level="info", command=None, problems=FIXTURES,
                 env=None, start_timeout_s=60, wrapper=(), cache_dir=None):
        self.dir = tempfile.mkdtemp(prefix="codejudge-pytest-")
        port_file = os.path.join(self.dir, "port")
        self.log_path = os.path.join(self.dir, "server.log")
        self.wrapped = bool(wrapper)
        args = [*wrapper, *(command or [binary, "serve"]), "--port", "0", "--port-file", port_file,
                "--cache-dir", cache_dir or os.path.join(self.dir, "cache"),
                "--log-level", log_level]
        if problems is not None:
            args += ["--problems", problems]
        args += extra_args
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(args, stderr=self.log, stdout=self.log, env=env,
                                        preexec_fn=_die_with_parent)
        deadline = time.time() + start_timeout_s
        self.port = None
        while time.time() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with open(port_file) as f:
                    text = f.read()
                if text.endswith("\n"):
                    self.port = int(text)
                    break
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        if self.port is None:
            log = self.read_log()
            self.close()
            if "the judge cannot start" in log:
                print("SKIP: the sandbox cannot start here:\n" + log)
                sys.exit(SKIP)
            raise RuntimeError("server did not start:\n" + log)
        self.url = f"http://127.0.0.1:{self.port}"

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def get_json(self, path, timeout=30):
        with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
            return json.load(response)

    def get_metrics(self, timeout=30):
        """The metrics of /metrics without labels, as {name: value}."""
        with urllib.request.urlopen(self.url + "/metrics", timeout=timeout) as response:
            text = response.read().decode()
        values = {}
        for line in text.splitlines():
            if line and not line.startswith("#") and "{" not in line:
                name, value = line.split()
                values[name] = float(value)
        return values

    def server_pid(self):
        """The server's pid as this process sees it (the wrapper's child when wrapped)."""
        if not self.wrapped:
            return self.process.pid
        with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children") as f:
            children = f.read().split()
        return int(children[0]) if children else self.process.pid

    def rss_kb(self):
        with open(f"/proc/{self.server_pid()}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self, timeout=60):
        """SIGTERM, then the exit code (the server drains first)."""
        os.kill(self.server_pid(), signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
