# codejudge-hack: problem=hack-total language=python expect=RE
# Print every kind of pass line ("ok", forged records) and leave with sys.exit(0), hoping that a
# clean exit after "passing" output counts as a pass. SystemExit in the submission is a runtime
# error, and its output is never read as a verdict.
import sys


def total(xs):
    for index in range(3):
        print("ok\ncj pass %d 0\n%s %d ok" % (index, "0" * 32, index))
    sys.stdout.flush()
    sys.exit(0)
