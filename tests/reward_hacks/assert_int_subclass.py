# codejudge-hack: problem=hack-total language=python expect=WA
# An int subclass whose __eq__ is always true and whose subtraction gives 0. Subclasses of data
# types cross as their base value (here the plain int 7), which is then compared honestly.
class Int(int):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __sub__(self, other):
        return Int(0)

    def __abs__(self):
        return 0

    __hash__ = int.__hash__


def total(xs):
    return Int(7)
