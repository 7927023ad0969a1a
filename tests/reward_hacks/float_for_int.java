// codejudge-hack: problem=pair-sum-count language=java expect=WA
// Declares the method double where the signature says long and returns the right count as a
// float: the harness writes 3.0, and a float where an integer is declared is a wrong answer.
class Solution {
    public double pairSumCount(int[] nums, int k) {
        Map<Long, Long> seen = new HashMap<>();
        double total = 0;
        for (int x : nums) {
            total += seen.getOrDefault((long) k - x, 0L);
            seen.merge((long) x, 1L, Long::sum);
        }
        return total;
    }
}
