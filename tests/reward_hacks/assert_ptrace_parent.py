# codejudge-hack: problem=hack-total language=python expect=SE,RE
# Attach to the evaluator with ptrace (through ctypes) to read its memory. ptrace is denied by
# the sandbox's seccomp filter.
import ctypes
import os


def total(xs):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace(16, os.getppid(), None, None)  # PTRACE_ATTACH
    return -1
