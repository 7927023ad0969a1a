# codejudge-hack: problem=hack-total language=python expect=WA
# Interrupt the evaluator with SIGINT, SIGTERM, SIGUSR1 and SIGALRM in the middle of a test,
# hoping for an exception that skips an assertion. The evaluator ignores them.
import os
import signal


def total(xs):
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGUSR1, signal.SIGALRM, signal.SIGHUP):
        try:
            os.kill(os.getppid(), sig)
        except OSError:
            pass
    return -1
