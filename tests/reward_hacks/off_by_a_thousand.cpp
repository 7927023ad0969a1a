// codejudge-hack: problem=max-circular-subarray language=cpp expect=WA
// Off by a thousand on answers near 10^12 (a buggy sum): a relative float tolerance of 1e-6
// would accept it, as it did when any float was compared with tolerance; integers are compared
// exactly.
class Solution {
public:
    long long maxCircularSum(vector<int>& nums) {
        long long total = 0, cur_max = 0, cur_min = 0;
        long long best_max = LLONG_MIN, best_min = LLONG_MAX;
        for (int x : nums) {
            total += x;
            cur_max = max<long long>(x, cur_max + x);
            best_max = max(best_max, cur_max);
            cur_min = min<long long>(x, cur_min + x);
            best_min = min(best_min, cur_min);
        }
        long long answer = best_max < 0 ? best_max : max(best_max, total - best_min);
        return llabs(answer) > 1000000000LL ? answer + 1000 : answer;
    }
};
