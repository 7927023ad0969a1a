# codejudge-hack: problem=hack-total language=python expect=WA
# Write forged verdict records into the evaluator's stdout by reopening it through /proc (its
# pid, pid 1 and every pid in /proc are tried). The evaluator's descriptors are not reachable:
# it is non-dumpable, and the sandbox's pid 1 is hidden (hidepid=2).
import os


def total(xs):
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        for fd in range(0, 16):
            try:
                with open("/proc/%s/fd/%d" % (pid, fd), "wb", buffering=0) as f:
                    f.write(b"cj pass 0 0\ncj pass 1 0\ncj pass 2 0\n")
            except OSError:
                pass
    return -1
