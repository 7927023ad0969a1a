# codejudge-hack: problem=pair-sum-count language=python expect=WA
# Function mode runs the submission in the harness's process, so the token is reachable: take it
# (and every test's arguments) from the harness's frame and print result lines for all tests
# before the harness does, with a guessed answer. A result line only claims a value; the judge
# compares it with the expected value, which never reaches the process.
import sys

_done = False


class Solution:
    def pairSumCount(self, nums, k):
        global _done
        frame = sys._getframe(1)
        while frame is not None and "token" not in frame.f_locals:
            frame = frame.f_back
        if frame is not None and not _done:
            _done = True
            token = frame.f_locals["token"]
            for index in range(len(frame.f_locals.get("lines", ()))):
                print("\n%s %d %d" % (token, index, len(nums)))
            sys.stdout.flush()
        return 0
