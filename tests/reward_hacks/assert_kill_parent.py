# codejudge-hack: problem=hack-total language=python expect=RE
# Kill the evaluator (same uid) with SIGKILL before it can record a failure, hoping that a run
# without a verdict counts as a pass or as an internal error. A run that ends without the
# evaluator's record is the submission's runtime error.
import os
import signal


def total(xs):
    os.kill(os.getppid(), signal.SIGKILL)
    return -1
