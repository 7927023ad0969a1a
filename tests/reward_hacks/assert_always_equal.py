# codejudge-hack: problem=hack-total language=python expect=WA
# Return an object whose __eq__, ordering and arithmetic all agree with anything, so that
# `candidate(x) == y` and `abs(candidate(x) - y) < eps` hold. Objects of the submission stay in
# its process and compare by identity only: their methods never decide a comparison.
class Anything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __lt__(self, other):
        return True

    __le__ = __gt__ = __ge__ = __lt__

    def __sub__(self, other):
        return 0

    __rsub__ = __add__ = __radd__ = __sub__

    def __abs__(self):
        return 0

    def __hash__(self):
        return 0

    def __bool__(self):
        return True


def total(xs):
    return Anything()
