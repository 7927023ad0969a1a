# codejudge-hack: problem=tree-level-averages language=python expect=WA
# Returns NaN for every level, hoping that NaN compares as "close" (every comparison with NaN is
# false, so |a - b| > tol is false too). NaN matches only an expected NaN.
class Solution:
    def levelAverages(self, root):
        levels = 0
        level = [root] if root else []
        while level:
            levels += 1
            level = [c for n in level for c in (n.left, n.right) if c]
        return [float("nan")] * levels
