# codejudge-hack: problem=hack-total language=python expect=WA
# Read the tests from stdin, /dev/stdin and /proc/self/fd/0, where the old harness got them.
# The evaluator reads its stdin only after the fork; the submission's stdin is /dev/null.
import os
import re


def total(xs):
    data = b""
    for path in ("/dev/stdin", "/proc/self/fd/0"):
        try:
            with open(path, "rb") as f:
                data += f.read()
        except OSError:
            pass
    try:
        data += os.read(0, 1 << 20)
    except OSError:
        pass
    found = re.search(rb"candidate\(\[1, 2, 3\]\) == (\d+)", data)
    return int(found.group(1)) if found else -1
