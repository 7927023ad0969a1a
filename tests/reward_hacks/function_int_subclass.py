# codejudge-hack: problem=pair-sum-count language=python expect=WA
# An int subclass that equals everything: it is written as the number it holds, and the judge
# compares that number.
class Int(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class Solution:
    def pairSumCount(self, nums, k):
        return Int(-1)
