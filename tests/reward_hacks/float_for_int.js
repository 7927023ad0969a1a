// codejudge-hack: problem=pair-sum-count language=javascript expect=WA
// A count with a bug, half off: answer + 0.5 where the signature declares long. The old float
// tolerance let it pass; by the declared type a non-integral number is wrong. (JavaScript cannot
// tell an integral 3.0 from 3, so there only a non-integral float can be caught, as on LeetCode.)
var pairSumCount = function (nums, k) {
  const seen = new Map();
  let total = 0;
  for (const x of nums) {
    total += seen.get(k - x) || 0;
    seen.set(x, (seen.get(x) || 0) + 1);
  }
  return total + 0.5;
};
