# codejudge-hack: problem=hack-total language=python expect=WA
# Return a generator (a handle the evaluator can iterate) hoping that a proxy compares equal to
# the expected int. As in the official harness, a generator is not equal to an int.
def total(xs):
    yield sum(xs)
