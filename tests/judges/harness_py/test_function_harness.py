"""judges/harness/function_harness.py: the stdin header, conversions and exit codes."""
import json
import os
import unittest

from harness_support import run_harness, sized

PRELUDE = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "judges",
                            "harness", "leetcode_prelude.py")).read()
TOKEN = "0123456789abcdef"


def run(code, params, returns, arguments, entry="Solution().f", preamble=""):
    header = sized([PRELUDE, preamble, code, entry, " ".join(params), returns])
    lines = [TOKEN] + [json.dumps(a) for a in arguments]
    return run_harness("function_harness.py", header + "\n".join(lines).encode() + b"\n")


def results(proc):
    out = {}
    for line in proc.stdout.decode().split("\n"):
        if line.startswith(TOKEN + " "):
            _, index, value = line.split(" ", 2)
            out.setdefault(int(index), value)
    return out


class FunctionHarness(unittest.TestCase):
    def test_results_are_printed_per_test_as_json(self):
        proc = run("class Solution:\n    def f(self, a, b):\n        return a + b\n", ["i", "i"], "i",
                   [[1, 2], [5, -7]])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(results(proc), {0: "3", 1: "-2"})

    def test_a_float_where_int_is_declared_stays_a_float(self):
        proc = run("class Solution:\n    def f(self, a):\n        return a / 2\n", ["i"], "i",
                   [[6], [5]])
        self.assertEqual(results(proc), {0: "3.0", 1: "2.5"})

    def test_lossless_conversions_stay(self):
        code = ("class Solution:\n    def f(self, k):\n"
                "        return [True, 1, (1, 2), 0, float('nan')][k]\n")
        self.assertEqual(results(run(code, ["i"], "i", [[0]])), {0: "1"})
        self.assertEqual(results(run(code, ["i"], "f", [[1]])), {0: "1.0"})
        self.assertEqual(results(run(code, ["i"], "[i", [[2]])), {0: "[1,2]"})
        self.assertEqual(results(run(code, ["i"], "b", [[3]])), {0: "false"})
        self.assertEqual(results(run(code, ["i"], "f", [[4]])), {0: "NaN"})

    def test_nodes_are_built_and_printed_as_lists(self):
        code = ("class Solution:\n    def f(self, head, root):\n"
                "        return head.next if root.left is None else head\n")
        proc = run(code, ["N", "T"], "N", [[[1, 2, 3], [1, None, 2]], [[4], [1, 2]]])
        self.assertEqual(results(proc), {0: "[2,3]", 1: "[4]"})

    def test_void_prints_the_first_argument(self):
        code = "class Solution:\n    def f(self, xs):\n        xs.reverse()\n"
        self.assertEqual(results(run(code, ["[i"], "v", [[[1, 2, 3]]])), {0: "[3,2,1]"})

    def test_a_syntax_error_is_a_compile_error(self):
        proc = run("class Solution:\n    def f(self, a)\n", ["i"], "i", [[1]])
        self.assertEqual(proc.returncode, 98)
        self.assertTrue(proc.stderr.startswith(b"codejudge-compile-error: "), proc.stderr)

    def test_a_malformed_header_is_a_harness_error(self):
        proc = run_harness("function_harness.py", b"1 2 3\nabc")
        self.assertEqual(proc.returncode, 99)
        self.assertTrue(proc.stderr.startswith(b"codejudge-harness: "), proc.stderr)

    def test_arguments_of_the_wrong_type_are_a_harness_error(self):
        proc = run("class Solution:\n    def f(self, a):\n        return a\n", ["i"], "i", [["x"]])
        self.assertEqual(proc.returncode, 99)

    def test_the_submission_cannot_shadow_the_harness(self):
        code = ("conv = valid = build = None\n"
                "class Solution:\n    def f(self, a):\n        return a\n")
        self.assertEqual(results(run(code, ["i"], "i", [[7]])), {0: "7"})

    def test_free_functions_and_the_preamble(self):
        proc = run("def g(a):\n    return helper(a)\n", ["i"], "i", [[2]], entry="g",
                   preamble="def helper(x):\n    return x * 10\n")
        self.assertEqual(results(proc), {0: "20"})


if __name__ == "__main__":
    unittest.main()
