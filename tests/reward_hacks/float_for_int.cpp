// codejudge-hack: problem=pair-sum-count language=cpp expect=WA
// Declares the method double where the signature says long and returns the right count as a
// float: the harness writes 3.0, and a float where an integer is declared is a wrong answer.
class Solution {
public:
    double pairSumCount(vector<int>& nums, int k) {
        unordered_map<long long, long long> seen;
        double total = 0;
        for (int x : nums) {
            auto it = seen.find((long long)k - x);
            if (it != seen.end()) total += it->second;
            ++seen[x];
        }
        return total;
    }
};
