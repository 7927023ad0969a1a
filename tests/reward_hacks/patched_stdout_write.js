// codejudge-hack: problem=pair-sum-count language=javascript expect=WA
// Replaces process.stdout.write, which the driver also writes its result lines with, by one
// that rewrites every result value to 3 (the answer of the first public test). Whatever the
// driver writes through it, the value is still the submission's own answer: it proves nothing
// that returning 3 would not, and 3 is wrong for the other tests.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (text) => write(String(text).replace(/ -?\d+\n$/, " 3\n"));
var pairSumCount = function (nums, k) {
  return -1;
};
