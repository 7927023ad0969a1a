# codejudge-hack: problem=pair-sum-count language=python expect=WA
# NaN and infinity where an integer is declared: they are written as null, which equals no
# integer.
class Solution:
    def pairSumCount(self, nums, k):
        return float("nan") if len(nums) % 2 else float("inf")
