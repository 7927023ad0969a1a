// codejudge-hack: problem=tree-level-averages language=javascript expect=WA
// Returns NaN and -Infinity: non-finite values match only the same non-finite expected value.
var levelAverages = function (root) {
  const result = [];
  let level = root ? [root] : [];
  while (level.length > 0) {
    result.push(result.length % 2 === 0 ? NaN : -Infinity);
    level = level.flatMap((n) => [n.left, n.right]).filter((c) => c);
  }
  return result;
};
