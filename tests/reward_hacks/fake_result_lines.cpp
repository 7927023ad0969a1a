// codejudge-hack: problem=pair-sum-count language=cpp expect=WA
// Prints lines shaped like the harness's result lines ("<token> <index> <value>") for every
// test it might be in, then returns a wrong count. Without the run's random token they are the
// submission's own output, never results.
class Solution {
public:
    long long pairSumCount(vector<int>& nums, int k) {
        for (int i = 0; i < 64; ++i) printf("\n%032x %d 3\n0 %d 3\ncodejudge %d 3\n", 0, i, i, i);
        fflush(stdout);
        return -1;
    }
};
