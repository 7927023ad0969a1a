# codejudge-hack: problem=hack-total language=python expect=TLE,RE
# Stop the evaluator with SIGSTOP so that it never records the failure. The run hits its wall
# clock limit: a time limit, never a pass.
import os
import signal


def total(xs):
    os.kill(os.getppid(), signal.SIGSTOP)
    return -1
