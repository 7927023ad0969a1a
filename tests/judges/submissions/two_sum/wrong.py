from typing import List


class Solution:
    def twoSum(self, nums: List[int], target: int) -> List[int]:
        print("debugging output is allowed")
        return [0, len(nums) - 1]
