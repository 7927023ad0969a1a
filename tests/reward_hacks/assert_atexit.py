# codejudge-hack: problem=hack-total language=python expect=WA
# Register an atexit handler that writes forged records to every descriptor when the
# interpreter exits, after the last real verdict. The submission's process is killed, never
# exits normally, and its writes would only ever be its own output.
import atexit
import os


def _forge():
    for fd in range(0, 64):
        try:
            os.write(fd, b"\ncj pass 0 0\ncj pass 1 0\ncj pass 2 0\n")
        except OSError:
            pass


atexit.register(_forge)


def total(xs):
    return -1
