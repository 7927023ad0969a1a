// codejudge-hack: problem=pair-sum-count language=cpp expect=WA
// Exits 0 from inside the function, before the harness writes any result: a clean exit with
// no result line is a function that returned nothing, a wrong answer.
class Solution {
public:
    long long pairSumCount(vector<int>& nums, int k) {
        printf("3\n");
        fflush(stdout);
        exit(0);
    }
};
