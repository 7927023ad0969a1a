# codejudge-hack: problem=hack-total language=python expect=TLE
# Never answer, hoping that a test without a verdict is skipped.
import time


def total(xs):
    time.sleep(3600)
