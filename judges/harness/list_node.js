// LeetCode's singly-linked list node, defined for a JavaScript submission that does not declare
// its own.
function ListNode(val, next) {
  this.val = val === undefined ? 0 : val;
  this.next = next === undefined ? null : next;
}
