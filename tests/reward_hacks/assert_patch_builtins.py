# codejudge-hack: problem=hack-add language=python expect=WA
# Patch builtins.abs, math.isclose, AssertionError and operator functions in the submission's
# process, as the old in-process harness let it; the asserts run in the evaluator's process
# with its own builtins and modules.
import builtins
import math
import operator

builtins.AssertionError = type("Quiet", (Exception,), {})
builtins.abs = lambda x: 0
math.isclose = lambda *args, **kwargs: True
operator.eq = lambda a, b: True


def add(a, b):
    return a - b
