"""Shared by the harness unit tests: where the harness files are and how to run them."""
import os
import subprocess
import sys

HARNESS_DIR = os.environ.get("CODEJUDGE_HARNESS_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "judges", "harness")
sys.path.insert(0, HARNESS_DIR)


def run_harness(name, stdin_data, timeout=60):
    """Runs judges/harness/<name> as the sandbox does (python3 main.py, stdin from the judge)."""
    return subprocess.run([sys.executable, os.path.join(HARNESS_DIR, name)], input=stdin_data,
                          capture_output=True, timeout=timeout)


def sized(texts, trailer=None):
    """The header the judge writes: the sizes of the texts (and a trailer), then the texts."""
    data = [t.encode("utf-8") for t in texts]
    fields = [str(len(d)).encode() for d in data]
    if trailer is not None:
        fields.append(trailer.encode())
    return b" ".join(fields) + b"\n" + b"".join(data)
