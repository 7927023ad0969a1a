# codejudge-hack: problem=pair-sum-count language=python expect=WA
# The count is right but returned as a float (3.0) where the signature declares long. Judged
# by the declared type, a float where an integer is declared is a wrong answer.
class Solution:
    def pairSumCount(self, nums, k):
        seen = {}
        total = 0
        for x in nums:
            total += seen.get(k - x, 0)
            seen[x] = seen.get(x, 0) + 1
        return float(total)
