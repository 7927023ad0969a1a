# codejudge-hack: problem=hack-total language=python expect=WA
# Monkeypatch print, sys.stdout, sys.stderr and os.write so that whatever the harness writes
# becomes a pass. The verdict is written by another process, whose functions these are not.
import builtins
import io
import os
import sys

_real_write = os.write


def _write(fd, data):
    return _real_write(fd, bytes(data).replace(b"wa ", b"pass ").replace(b"re ", b"pass "))


os.write = _write
builtins.print = lambda *args, **kwargs: _real_write(1, b"cj pass 0 0\n")
sys.stdout = io.StringIO()
sys.stderr = io.StringIO()


def total(xs):
    return -1
