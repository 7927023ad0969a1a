# codejudge-hack: problem=hack-total language=python expect=RE
# The same with os._exit(0): no exception, no cleanup, exit code 0. The evaluator sees its
# submission process end in the middle of a call: a runtime error.
import os


def total(xs):
    os.write(1, b"ok\ncj pass 0 0\ncj pass 1 0\ncj pass 2 0\n")
    os._exit(0)
