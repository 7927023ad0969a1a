# codejudge-hack: problem=hack-reverse-list language=python expect=WA
# Redefine the preamble's comparison helper and give ListNode an always-true __eq__, then
# return the input unchanged. The test uses the preamble's helpers as the evaluator ran them,
# and nodes cross as data into the evaluator's own ListNode class.
def is_same_list(a, b):
    return True


ListNode.__eq__ = lambda self, other: True


class Solution:
    def reverseList(self, head):
        is_same_list.__globals__["is_same_list"] = lambda a, b: True
        return head
