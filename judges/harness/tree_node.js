// LeetCode's binary tree node, defined for a JavaScript submission that does not declare its
// own.
function TreeNode(val, left, right) {
  this.val = val === undefined ? 0 : val;
  this.left = left === undefined ? null : left;
  this.right = right === undefined ? null : right;
}
