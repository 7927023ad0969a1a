// codejudge-hack: problem=pair-sum-count language=javascript expect=WA
// Prints an answer-like line and exits 0 from inside the function, before the harness writes
// its result: no result line is no answer.
var pairSumCount = function (nums, k) {
  console.log("3");
  process.exit(0);
};
