# codejudge-hack: problem=hack-total language=python expect=RE
# Close every descriptor (the call channel included) before answering, hoping that a harness
# that cannot hear back from its submission counts the test as passed. A broken channel is the
# submission's runtime error.
import os


def total(xs):
    os.closerange(0, 4096)
    return -1
