"""judges/harness/assert_evaluator.py: the typed encoding, the records and the two processes."""
import collections
import datetime
import decimal
import hashlib
import fractions
import math
import re
import unittest

from harness_support import run_harness, sized  # first: it puts judges/harness on the path

import assert_evaluator as ev  # noqa: E402

HUMANEVAL_TEST = """
def check(candidate):
    assert candidate([1, 2, 3]) == 6
    assert candidate([]) == 0
    assert abs(candidate([0.5, 0.25]) - 0.75) < 1e-9
"""


def evaluate(code, tests, entry="total", preamble="", stop=False):
    data = sized([preamble, code, entry], "1" if stop else "0")
    for test in tests:
        test = test.encode("utf-8")
        data += b"%d\n" % len(test) + test
    return run_harness("assert_evaluator.py", data)


def records(proc):
    """[(kind, index, payload)] of the evaluator's stdout, read by size as the judge does."""
    out, data = [], proc.stdout
    while data:
        line, _, data = data.partition(b"\n")
        _, kind, index, size = line.split(b" ")
        out.append((kind.decode(), int(index), data[:int(size)].decode("utf-8", "replace")))
        data = data[int(size):]
    return out


def verdicts(proc):
    return [(kind, index) for kind, index, _ in records(proc) if kind != "out"]


def printed(proc, index):
    return "".join(p for kind, i, p in records(proc) if kind == "out" and i == index)


class _Peer:
    """Exports objects into a table, as a channel does, for codec round trips."""

    def __init__(self):
        self.exports = {}

    def export(self, obj):
        self.exports[len(self.exports) + 1] = obj
        return len(self.exports)

    def exported(self, handle_id):
        if handle_id not in self.exports:
            raise ev.ProtocolError("a handle that was never sent")
        return self.exports[handle_id]

    def proxy(self, handle_id, flags, hint):
        return ("handle", handle_id, flags, hint)


class Node:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


class Codec(unittest.TestCase):
    def setUp(self):
        self.codec = ev.Codec(_Peer(), {Node: "Node"})

    def round_trip(self, value):
        return self.codec.decode(self.codec.encode(value))

    def assert_same(self, value):
        back = self.round_trip(value)
        self.assertEqual(back, value)
        self.assertIs(type(back), type(value))
        return back

    def test_scalars_keep_their_exact_type_and_value(self):
        for value in (None, True, False, 0, -1, 2 ** 63 - 1, -2 ** 63, 2 ** 64, -(10 ** 5000),
                      0.1, -0.0, 1e308, 1 + 2j, "", "é\U0001f600", "\ud800", b"\x00\xff",
                      bytearray(b"ab")):
            self.assert_same(value)
        self.assertTrue(math.isnan(self.round_trip(float("nan"))))
        self.assertEqual(self.round_trip(float("-inf")), float("-inf"))
        self.assertEqual(math.copysign(1, self.round_trip(-0.0)), -1)

    def test_containers_and_packed_lists(self):
        for value in ([], (), [1, [2, (3,)]], {1: "a", (2, 3): [4]}, {1, 2}, frozenset("ab"),
                      list(range(100)), tuple(range(100)), [0.5] * 50, ["a", "", "b"] * 10,
                      [True, False] * 10, [[1, 2], [3]] * 20, [(1, "a")] * 2, [("a", "b")] * 8,
                      [[0.5], []] * 5, [[], []], [2 ** 70] * 10, ["a\0b"] * 10, [["x", "y"]] * 9):
            self.assert_same(value)

    def test_standard_library_values(self):
        counter = collections.Counter("abca")
        default = collections.defaultdict(list, {1: [2]})
        for value in (counter, collections.OrderedDict([(2, 1), (1, 2)]), default,
                      collections.deque([1, 2], maxlen=3), fractions.Fraction(-3, 4),
                      decimal.Decimal("1.10"), decimal.Decimal("NaN") if False else
                      decimal.Decimal("-Infinity"), range(1, 10, 3), datetime.date(2020, 2, 29),
                      datetime.datetime(2020, 1, 2, 3, 4, 5, 6),
                      datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone.utc),
                      datetime.time(1, 2, 3, 4), datetime.timedelta(days=-2, microseconds=3),
                      datetime.timezone(datetime.timedelta(hours=-3), "X")):
            self.assert_same(value)
        self.assertEqual(self.round_trip(default)[9], [])
        self.assertEqual(self.round_trip(collections.deque([1], maxlen=3)).maxlen, 3)
        self.assertEqual(str(self.round_trip(decimal.Decimal("1.10"))), "1.10")

    def test_dict_views(self):
        d = {1: "a", 2: "b"}
        self.assertEqual(self.round_trip(d.keys()), {1, 2})
        self.assertEqual(list(self.round_trip(d.values())), ["a", "b"])
        self.assertEqual(self.round_trip(d.items()), {(1, "a"), (2, "b")})

    def test_subclasses_travel_as_their_base_value(self):
        class Int(int):
            def __eq__(self, other):
                return True

            __hash__ = int.__hash__

        point = collections.namedtuple("Point", "x y")(1, 2)
        self.assertIs(type(self.round_trip(Int(7))), int)
        self.assertNotEqual(self.round_trip(Int(7)), 8)
        self.assertEqual(self.round_trip(point), (1, 2))
        self.assertIs(type(self.round_trip(point)), tuple)

    def test_preamble_instances_are_data_even_in_long_and_cyclic_chains(self):
        head = None
        for v in range(20000):  # deeper than any recursion limit
            head = Node(v, head)
        back = self.round_trip(head)
        self.assertIs(type(back), Node)
        n = 0
        while back:
            n, back = n + 1, back.next
        self.assertEqual(n, 20000)
        a, b = Node(1), Node(2)
        a.next, b.next = b, a
        back = self.round_trip([a, b])
        self.assertIs(back[0].next, back[1])
        self.assertIs(back[1].next, back[0])

    def test_regex_values_are_made_again(self):
        match = re.search("b+", "abbbc")
        back = self.round_trip(match)
        self.assertEqual((back.group(), back.span()), ("bbb", (1, 4)))
        self.assertEqual(self.round_trip(re.compile("a.", re.I)).flags & re.I, re.I)

    def test_numpy_values(self):
        try:
            import numpy as np
        except ImportError:
            self.skipTest("numpy is not installed")
        array = np.arange(6, dtype=np.int32).reshape(2, 3)
        back = self.round_trip(array)
        self.assertTrue((back == array).all())
        self.assertEqual((back.dtype, back.shape), (array.dtype, array.shape))
        self.assertEqual(self.round_trip(np.float64(2.5)), 2.5)
        self.assertIs(type(self.round_trip(np.int64(3))), np.int64)
        objects = np.array([[1, "a"]], dtype=object)
        self.assertEqual(self.round_trip(objects).tolist(), [[1, "a"]])

    def test_other_objects_become_handles(self):
        gen = (i for i in range(3))
        kind, handle_id, flags, hint = self.round_trip(gen)
        self.assertIs(self.codec.peer.exported(handle_id), gen)
        self.assertTrue(flags & ev.IS_ITERATOR)
        self.assertEqual(self.round_trip(len)[3], "builtins:len")
        self.assertEqual(self.round_trip(math)[3], "module:math")

    def test_values_too_deep_are_refused(self):
        value = []
        for _ in range(ev.MAX_DEPTH + 5):
            value = [value]
        with self.assertRaises(ev.EncodeError):
            self.codec.encode(value)

    def test_malformed_input_is_a_protocol_error(self):
        good = bytes(self.codec.encode([1, "ab", {2: 3.5}, Node(1)]))
        bad_inputs = [good[:n] for n in range(len(good))]  # every truncation
        bad_inputs += [
            b"?", good + b"N", b"l\xff\xff\xff\x7f", b"S\x01\x00\x00\x00l\x00\x00\x00\x00",
            b"d\x01\x00\x00\x00l\x00\x00\x00\x00N", b"o\x00\x00\x00\x00\x04\x00\x00\x00Evil",
            b"o\x05\x00\x00\x00", b"x\x63\x00\x00\x00", b"r" + self.codec.encode(1) * 2 +
            self.codec.encode(0), b"E" + self.codec.encode("os.system") + b"\x00\x00\x00\x00",
            b"l\x01\x00\x00\x00" * (ev.MAX_DEPTH + 2) + b"N",
            b"Aq" + b"q\x02\x00\x00\x00\x03\x00\x00\x00abc",
        ]
        field = bytes(self.codec.encode(Node(1)))
        bad_inputs.append(field.replace(b"val", b"__v"))
        for data in bad_inputs:
            with self.assertRaises(ev.ProtocolError, msg=repr(data[:40])):
                self.codec.decode(data)


class Evaluator(unittest.TestCase):
    def test_passes_and_wrong_answers(self):
        good = evaluate("def total(xs):\n    return sum(xs)\n", [HUMANEVAL_TEST] * 2)
        self.assertEqual(verdicts(good), [("pass", 0), ("pass", 1)])
        bad = evaluate("def total(xs):\n    return len(xs)\n", [HUMANEVAL_TEST] * 2)
        self.assertEqual(verdicts(bad), [("wa", 0), ("wa", 1)])
        self.assertIn("AssertionError", records(bad)[0][2])
        self.assertIn("assert candidate([1, 2, 3]) == 6", records(bad)[0][2])
        stopped = evaluate("def total(xs):\n    return len(xs)\n", [HUMANEVAL_TEST] * 2, stop=True)
        self.assertEqual(verdicts(stopped), [("wa", 0)])

    def test_compile_errors_and_malformed_input(self):
        ce = evaluate("def total(xs)\n    return 0\n", [HUMANEVAL_TEST])
        self.assertEqual(verdicts(ce), [("ce", 0)])
        self.assertIn("SyntaxError", records(ce)[0][2])
        ie = run_harness("assert_evaluator.py", b"1 2\n")
        self.assertEqual(verdicts(ie), [("ie", 0)])
        framing = run_harness("assert_evaluator.py", sized(["", "x = 1\n", "f"], "0") + b"99\nab")
        self.assertEqual(verdicts(framing), [("ie", 0)])

    def test_exceptions_keep_their_builtin_type(self):
        code = ("class Mine(ValueError):\n    pass\n"
                "def total(xs):\n    if not xs:\n        raise Mine('empty')\n    return sum(xs)\n")
        test = ("def check(candidate):\n    try:\n        candidate([])\n        assert False\n"
                "    except ValueError as e:\n        assert str(e) == 'empty'\n"
                "    assert candidate([2]) == 2\n")
        self.assertEqual(verdicts(evaluate(code, [test])), [("pass", 0)])
        error = evaluate("def total(xs):\n    return xs[5]\n", [HUMANEVAL_TEST])
        self.assertEqual(verdicts(error), [("re", 0)])
        self.assertIn("IndexError", records(error)[0][2])

    def test_lazy_values_are_consumed_through_the_channel(self):
        code = ("def flatten(xs):\n    for x in xs:\n        if isinstance(x, list):\n"
                "            yield from flatten(x)\n        else:\n            yield x\n"
                "def doubled(xs):\n    return map(lambda x: 2 * x, xs)\n"
                "def naturals():\n    n = 0\n    while True:\n        yield n\n        n += 1\n")
        test = ("import itertools\n"
                "assert list(flatten([1, [2, [3]], 4])) == [1, 2, 3, 4]\n"
                "assert flatten([1]) != [1]\n"
                "assert sorted(doubled([3, 1])) == [2, 6]\n"
                "assert 6 in doubled([3])\n"
                "assert list(itertools.islice(naturals(), 5)) == [0, 1, 2, 3, 4]\n"
                "assert sum(flatten(list(range(5000)))) == sum(range(5000))\n")
        proc = evaluate(code, [test], entry="flatten")
        self.assertEqual(verdicts(proc), [("pass", 0)], records(proc))

    def test_arguments_changed_in_place_and_callables(self):
        code = ("def sort_in_place(xs, counts):\n    xs.sort()\n    counts['n'] = len(xs)\n"
                "def apply(fn, xs):\n    return [fn(x) for x in xs]\n")
        test = ("xs, counts = [3, 1, 2], {}\nassert sort_in_place(xs, counts) is None\n"
                "assert xs == [1, 2, 3] and counts == {'n': 3}\n"
                "assert apply(lambda x: x * x, [2, 3]) == [4, 9]\n")
        proc = evaluate(code, [test], entry="sort_in_place")
        self.assertEqual(verdicts(proc), [("pass", 0)], records(proc))

    def test_the_submissions_objects_equal_only_themselves(self):
        code = ("class Eq:\n    def __eq__(self, other):\n        return True\n"
                "    def __sub__(self, other):\n        return 0\n"
                "    def __lt__(self, other):\n        return True\n"
                "    def __bool__(self):\n        return False\n"
                "def total(xs):\n    return Eq()\n")
        for test in (HUMANEVAL_TEST, "assert total([1]) == [1]\n", "assert [total([1])] == [6]\n",
                     "assert total([1]) < 1e-9\n", "assert abs(total([1]) - 1) < 1e-9\n"):
            proc = evaluate(code, [test])
            self.assertNotEqual(verdicts(proc), [("pass", 0)], test)
        # Calling and reading them works, as in the official harness.
        code = ("class Pair:\n    def __init__(self, a, b):\n        self.a, self.b = a, b\n"
                "def longest(pairs):\n    return max(p.b - p.a for p in pairs)\n")
        test = "assert longest([Pair(1, 5), Pair(2, 3)]) == 4\nassert Pair(1, 2).b == 2\n"
        self.assertEqual(verdicts(evaluate(code, [test], entry="longest")), [("pass", 0)])

    def test_names_the_test_uses_come_from_the_submission_but_never_shadow(self):
        code = ("import math\ndef poly(xs, x):\n    return sum(c * x ** i for i, c in "
                "enumerate(xs))\ndef find_zero(xs):\n    return 1.0\n"
                "def abs(x):\n    return 0\nmath.isclose = lambda *a, **k: True\n")
        test = ("def check(candidate):\n    assert poly([1, -1], candidate([1, -1])) == 0\n"
                "    assert abs(-2) == 2\n    assert not math.isclose(1.0, 2.0)\n")
        proc = evaluate(code, [test], entry="find_zero")
        self.assertEqual(verdicts(proc), [("pass", 0)], records(proc))

    def test_preamble_names_win_and_its_classes_are_data(self):
        preamble = ("class ListNode:\n    def __init__(self, val=0, next=None):\n"
                    "        self.val, self.next = val, next\n"
                    "def build(xs):\n    head = None\n    for x in reversed(xs):\n"
                    "        head = ListNode(x, head)\n    return head\n"
                    "def same(a, b):\n    while a and b and a.val == b.val:\n"
                    "        a, b = a.next, b.next\n    return a is None and b is None\n")
        code = ("def same(a, b):\n    return True\nListNode.__eq__ = lambda s, o: True\n"
                "class Solution:\n    def rev(self, head):\n        prev = None\n"
                "        while head:\n            head.next, prev, head = prev, head, head.next\n"
                "        return prev\n")
        test = ("def check(candidate):\n    assert same(candidate(build([1, 2, 3])), "
                "build([3, 2, 1]))\n    assert candidate(None) is None\n"
                "    assert candidate(build([1])) != build([2])\n")
        proc = evaluate(code, [test], entry="Solution().rev", preamble=preamble)
        self.assertEqual(verdicts(proc), [("pass", 0)], records(proc))
        wrong = code.replace("return prev", "return head")
        self.assertEqual(verdicts(evaluate(wrong, [test], entry="Solution().rev",
                                           preamble=preamble)), [("wa", 0)])

    def test_what_the_submission_prints_is_relayed_per_test_and_never_a_record(self):
        code = ("import os, sys\ndef total(xs):\n    print('cj pass 1 0')\n"
                "    os.write(1, b'\\ncj pass 5 0\\n')\n    sys.stdout.flush()\n    return -1\n")
        proc = evaluate(code, [HUMANEVAL_TEST, "print('the test prints')\n"])
        self.assertEqual(verdicts(proc), [("wa", 0), ("pass", 1)])
        self.assertEqual(printed(proc, 0), "cj pass 1 0\n\ncj pass 5 0\n")
        self.assertEqual(printed(proc, 1), "")

    def test_an_ending_submission_fails_the_test_and_stops(self):
        for code in ("import sys\ndef total(xs):\n    print('ok')\n    sys.exit(0)\n",
                     "import os\ndef total(xs):\n    os._exit(0)\n",
                     "import os, signal\ndef total(xs):\n    os.kill(os.getpid(), signal.SIGKILL)\n",
                     "import os\ndef total(xs):\n    os.closerange(0, 1000)\n    return 6\n",
                     "def total(xs):\n    raise KeyboardInterrupt\n",
                     "import sys\nsys.exit(0)\n"):
            proc = evaluate(code, [HUMANEVAL_TEST, HUMANEVAL_TEST])
            self.assertEqual(verdicts(proc), [("re", 0)], code)

    def test_a_swallowed_ending_still_fails(self):
        code = "def total(xs):\n    raise SystemExit(0)\n"
        test = ("def check(candidate):\n    try:\n        candidate([1])\n    except BaseException:\n"
                "        pass\n")
        self.assertEqual(verdicts(evaluate(code, [test])), [("re", 0)])

    def test_results_that_cannot_be_sent_fail(self):
        code = "def total(xs):\n    v = []\n    for _ in range(10000):\n        v = [v]\n    return v\n"
        test = "try:\n    total([1])\nexcept Exception:\n    pass\n"
        self.assertEqual(verdicts(evaluate(code, [test])), [("re", 0)])

    def test_the_tests_never_reach_the_submissions_process(self):
        # A secret that only the test's code contains: the submission looks for it in its own
        # memory, its objects, its frames, its descriptors and its stdin. It knows the secret's
        # prefix and the digest of the rest, so that the secret itself is never in its memory.
        code = """
import gc, hashlib, os, sys
PREFIX = b'CJLEAK:'
DIGEST = '%s'
def secret_in(data):
    at = data.find(PREFIX)
    while at >= 0:
        if hashlib.sha256(data[at + 7:at + 15]).hexdigest() == DIGEST:
            return True
        at = data.find(PREFIX, at + 1)
    return False
def leaked():
    found = any(isinstance(o, str) and secret_in(o.encode('utf-8', 'replace'))
                for o in gc.get_objects())
    frame = sys._getframe()
    while frame:
        found = found or secret_in(repr(frame.f_globals).encode() + repr(frame.f_locals).encode())
        frame = frame.f_back
    try:
        found = found or secret_in(os.read(0, 1 << 20))
    except OSError:
        pass
    with open('/proc/self/maps') as maps:
        regions = [line.split() for line in maps]
    with open('/proc/self/mem', 'rb', buffering=0) as mem:
        for region in regions:
            start, end = (int(x, 16) for x in region[0].split('-'))
            if 'r' not in region[1] or end - start > 1 << 28:
                continue
            try:
                mem.seek(start)
                found = found or secret_in(mem.read(end - start))
            except (OSError, ValueError, OverflowError):
                pass
    for fd in os.listdir('/proc/self/fd'):
        try:
            found = found or secret_in(os.readlink('/proc/self/fd/' + fd).encode())
        except OSError:
            pass
    return found
""" % hashlib.sha256(b"7f3a9c1e").hexdigest()
        test = "assert leaked() is False, 'CJLEAK:7f3a9c1e'\n"
        proc = evaluate(code, [test, test], entry="leaked")
        self.assertEqual(verdicts(proc), [("pass", 0), ("pass", 1)], records(proc))


if __name__ == "__main__":
    unittest.main()
