# codejudge-hack: problem=hack-total language=python expect=WA
# Look for the tests or a token in the environment, argv and the files of the box.
import os
import sys


def total(xs):
    seen = " ".join(sys.argv) + " ".join("%s=%s" % kv for kv in os.environ.items())
    for root in ("/box", "/tmp", "/work"):
        for dirpath, _, files in os.walk(root):
            for name in files:
                try:
                    with open(os.path.join(dirpath, name), errors="replace") as f:
                        seen += f.read()
                except OSError:
                    pass
    return 6 if "== 6" in seen else -1
