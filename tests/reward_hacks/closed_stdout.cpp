// codejudge-hack: problem=pair-sum-count language=cpp expect=WA,RE
// Points the harness's stdout at /dev/null, so that no result line (right or wrong) is ever
// seen, and exits cleanly: a test without a result is not passed.
#include <fcntl.h>
#include <unistd.h>

class Solution {
public:
    long long pairSumCount(vector<int>& nums, int k) {
        int null_fd = open("/dev/null", O_WRONLY);
        dup2(null_fd, 1);
        return -1;
    }
};
