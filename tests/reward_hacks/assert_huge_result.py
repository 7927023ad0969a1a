# codejudge-hack: problem=hack-total language=python expect=MLE,RE,TLE
# Return a value so large that sending it back might overflow a buffer or crash the harness into
# a verdict it did not mean. The memory limit covers both processes.
def total(xs):
    return [0] * (4 * 10 ** 8)
