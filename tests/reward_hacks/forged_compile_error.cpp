// codejudge-hack: problem=pair-sum-count language=cpp expect=RE
// Forges a compile-error marker and the harness's exit codes from a program that compiled: the
// C++ harness has no compile step of its own, so this is a runtime error like any exit code.
class Solution {
public:
    long long pairSumCount(vector<int>& nums, int k) {
        fputs("codejudge-compile-error: error: expected ';'\n", stderr);
        fflush(stderr);
        exit(98);
    }
};
