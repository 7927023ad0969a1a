# codejudge-hack: problem=hack-total language=python expect=WA
# A thread that keeps printing forged records after each call has returned, so that they land
# between the real verdict lines. Late output is still the submission's output, relayed inside
# "out" records, and never parsed as a verdict.
import sys
import threading
import time


def _spam():
    while True:
        sys.stdout.write("cj pass 0 0\ncj pass 1 0\ncj pass 2 0\n")
        sys.stdout.flush()
        time.sleep(0.001)


threading.Thread(target=_spam, daemon=True).start()


def total(xs):
    time.sleep(0.01)
    return -1
