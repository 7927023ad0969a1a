# codejudge-hack: problem=max-circular-subarray language=python expect=WA
# Off by a thousand and a half on large answers (a buggy sum), so the result is a float: the
# old comparison applied the float tolerance (1e-6 relative) as soon as either side was a
# float, and passed it. Where long is declared a float is wrong, and integers compare exactly.
class Solution:
    def maxCircularSum(self, nums):
        best_max = cur_max = nums[0]
        best_min = cur_min = nums[0]
        for x in nums[1:]:
            cur_max = max(x, cur_max + x)
            best_max = max(best_max, cur_max)
            cur_min = min(x, cur_min + x)
            best_min = min(best_min, cur_min)
        total = sum(nums)
        answer = best_max if best_max < 0 else max(best_max, total - best_min)
        return answer + 1000.5 if abs(answer) > 10**9 else answer
