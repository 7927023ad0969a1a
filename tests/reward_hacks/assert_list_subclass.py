# codejudge-hack: problem=hack-sorted language=python expect=WA
# A list subclass whose __eq__ is always true (and a str subclass for the string test). They
# cross as the plain list and str they hold, which are wrong.
class AnyList(list):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


class AnyStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


def sort_values(xs):
    return AnyList([AnyStr("zz")])
