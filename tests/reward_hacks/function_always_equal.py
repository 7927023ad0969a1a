# codejudge-hack: problem=pair-sum-count language=python expect=RE
# An always-equal object as a function-mode result. Results are written as JSON and compared by
# the judge; an object that is not a JSON value is the submission's runtime error.
class Anything:
    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0


class Solution:
    def pairSumCount(self, nums, k):
        return Anything()
