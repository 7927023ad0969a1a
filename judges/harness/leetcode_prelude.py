# What LeetCode's Python environment provides without imports, plus its node classes.
# Embedded at build time (cmake/Embed.cmake); the function-mode harness runs it before the preamble.
import bisect, collections, functools, heapq, itertools, math
import operator, random, re, string, sys
from typing import *
from collections import *
from heapq import *
from bisect import *
from itertools import *
from functools import *
from math import *
from builtins import pow
try:
    from sortedcontainers import SortedDict, SortedList, SortedSet
except ImportError:
    pass
inf = float("inf")


class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


class TreeNode:
    def __init__(self, val=0, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right
