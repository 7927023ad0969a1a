# codejudge-hack: problem=hack-add language=python expect=WA
# Define module-level names that the tests use as builtins or modules (math, abs, isinstance,
# AssertionError), hoping the test's namespace picks up the submission's versions. A test
# never sees a submission name that shadows a builtin or a name it imports itself.
class _Math:
    @staticmethod
    def isclose(*args, **kwargs):
        return True


math = _Math()


def abs(x):
    return 0


AssertionError = type("Quiet", (Exception,), {})


def add(a, b):
    return 0
