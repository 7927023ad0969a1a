# codejudge-hack: problem=hack-total language=python expect=RE,WA
# Duplicate its own stdout over every descriptor and write forged records and forged call
# replies into all of them, the call channel included. Bytes that are not a framed reply break
# the channel: a runtime error, not a pass.
import os


def total(xs):
    for fd in range(3, 64):
        try:
            os.write(fd, b"\ncj pass 0 0\ncj pass 1 0\ncj pass 2 0\n")
        except OSError:
            pass
    for fd in range(3, 64):
        try:
            os.dup2(1, fd)
        except OSError:
            pass
    return -1
