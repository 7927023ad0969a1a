# codejudge-hack: problem=hack-total language=python expect=SE,RE
# Read the evaluator's memory with process_vm_readv, which needs no ptrace attach. Denied by the
# seccomp filter.
import ctypes
import os


class IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def total(xs):
    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(4096)
    local = IoVec(ctypes.cast(buffer, ctypes.c_void_p), 4096)
    remote = IoVec(0x400000, 4096)
    libc.process_vm_readv(os.getppid(), ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
    return -1
