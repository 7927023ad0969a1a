# codejudge-hack: problem=hack-total language=python expect=WA,RE
# Write a well-formed reply frame of the call protocol (with its magic) straight into the
# channel before the real one, claiming the right answer for the first call. A reply is only
# ever a value the submission returns: claiming a value is returning it, so this is no better
# than returning 6 everywhere, which is wrong on the other tests.
import os
import struct
import sys


def total(xs):
    main = sys.modules.get("__main__")
    codec = None
    frame = sys._getframe(1)
    while frame is not None and codec is None:
        channel = frame.f_locals.get("self")
        codec = getattr(channel, "codec", None)
        frame = frame.f_back
    if codec is not None:
        reply = b"r" + codec.encode(6)
        data = b"cjF1" + struct.pack("<I", len(reply)) + reply
        for fd in range(3, 16):
            try:
                os.write(fd, data)
            except OSError:
                pass
    del main
    return 6
