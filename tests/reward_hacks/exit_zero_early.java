// codejudge-hack: problem=pair-sum-count language=java expect=WA
// Prints something answer-like and exits 0 from inside the method, before the harness writes
// its result: no result line is no answer.
class Solution {
    public long pairSumCount(int[] nums, int k) {
        System.out.println("3");
        System.out.flush();
        System.exit(0);
        return 0;
    }
}
