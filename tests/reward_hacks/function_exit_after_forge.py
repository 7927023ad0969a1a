# codejudge-hack: problem=pair-sum-count language=python expect=WA,RE
# Forge result lines for every test with the token from the harness's frame, then leave with
# sys.exit(0) before the harness can print its own. The forged values are still compared with
# the expected ones, and they are guesses.
import sys


class Solution:
    def pairSumCount(self, nums, k):
        frame = sys._getframe(1)
        while frame is not None and "token" not in frame.f_locals:
            frame = frame.f_back
        if frame is not None:
            token = frame.f_locals["token"]
            for index in range(200):
                print("\n%s %d 0" % (token, index))
            sys.stdout.flush()
        sys.exit(0)
