# codejudge-hack: problem=hack-total language=python expect=WA
# Run the evaluator again (it is /box/main.py) on a forged stdin with a correct solution and
# relay its records, which say "pass", as its own output. The submission's output is only ever
# output, framed inside the real evaluator's "out" records.
import os
import subprocess
import sys


def total(xs):
    code = b"def total(xs):\n    return sum(xs)\n"
    test = b"assert total([1, 2, 3]) == 6\n"
    header = b"0 %d 5 0\n" % len(code) + code + b"total" + b"%d\n" % len(test) + test
    try:
        out = subprocess.run([sys.executable, "/box/main.py"], input=header,
                             capture_output=True, timeout=5).stdout
        os.write(1, out)
    except Exception:
        pass
    return -1
