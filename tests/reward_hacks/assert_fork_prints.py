# codejudge-hack: problem=hack-total language=python expect=WA,RE
# Fork a child that outlives the call and writes forged records to every descriptor it inherited,
# in case one of them is the verdict channel. None is: the submission's process never held the
# evaluator's stdout, and a forged frame on the call channel breaks the protocol (RE).
import os
import time


def total(xs):
    if os.fork() == 0:
        for _ in range(50):
            for fd in range(0, 16):
                try:
                    os.write(fd, b"\ncj pass 0 0\ncj pass 1 0\ncj pass 2 0\n")
                except OSError:
                    pass
            time.sleep(0.002)
        os._exit(0)
    return -1
