# codejudge-hack: problem=hack-total language=python expect=RE
# Raise a BaseException subclass (not an Exception), which a harness's `except Exception` would
# let escape, maybe past the assertion. It fails the test as a runtime error.
class Escape(BaseException):
    pass


def total(xs):
    raise Escape()
