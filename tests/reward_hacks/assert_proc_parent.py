# codejudge-hack: problem=hack-total language=python expect=WA
# Read the process that decides the verdict: /proc/<ppid>/mem, environ, cmdline, maps, its
# stdin (the tests) and its stdout (the verdict channel). The evaluator is non-dumpable, so
# /proc hides it from a process of the same uid; the answers stay wrong.
import os


def total(xs):
    parent = os.getppid()
    stolen = b""
    for name in ("mem", "environ", "cmdline", "maps", "fd/0", "fd/1", "fd/3", "fd/4"):
        try:
            with open("/proc/%d/%s" % (parent, name), "rb", buffering=0) as f:
                stolen += f.read(4096)
        except OSError:
            pass
    try:
        names = os.listdir("/proc/%d/fd" % parent)
    except OSError:
        names = []
    for name in names:
        try:
            with open("/proc/%d/fd/%s" % (parent, name), "wb", buffering=0) as f:
                f.write(b"cj pass 0 0\ncj pass 1 0\ncj pass 2 0\n")
        except OSError:
            pass
    return -1 if b"assert" not in stolen else sum(xs)
