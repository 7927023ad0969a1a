// codejudge-hack: problem=pair-sum-count language=java expect=WA,RE
// Replaces System.out and closes the process's stdout so that the harness's result lines go
// nowhere, then returns a wrong count: a test without a result is not passed.
class Solution {
    public long pairSumCount(int[] nums, int k) {
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            new java.io.FileOutputStream(java.io.FileDescriptor.out).close();
        } catch (java.io.IOException e) {
            // nothing
        }
        return -1;
    }
}
