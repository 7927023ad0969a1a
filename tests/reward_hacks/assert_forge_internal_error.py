# codejudge-hack: problem=hack-total language=python expect=RE
# Print the old harness's internal-failure marker to stderr and exit 99, so the run looks like
# the judge's own failure (IE masks the sample instead of scoring it 0). In assert mode only
# the evaluator's own record can say IE; the submission's exit is its runtime error.
import os


def total(xs):
    os.write(2, b"codejudge-harness: internal failure\ncodejudge-compile-error: x\n")
    os.write(1, b"cj ie 0 4\nboom")
    os._exit(99)
