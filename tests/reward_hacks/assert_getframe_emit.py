# codejudge-hack: problem=hack-total language=python expect=WA
# The old harness's emit() was reachable through sys._getframe(1): walk every frame up the stack
# and call anything that looks like a verdict writer with every test index, then answer wrongly.
# The submission's stack holds only its own process's call loop; the verdict writer is elsewhere.
import sys


def total(xs):
    frame = sys._getframe(1)
    while frame is not None:
        for scope in (frame.f_locals, frame.f_globals):
            for name, value in list(scope.items()):
                if callable(value) and any(k in name.lower() for k in ("emit", "record", "write")):
                    for index in range(10):
                        for args in ((index,), (b"pass", index), ("pass", index)):
                            try:
                                value(*args)
                            except Exception:
                                pass
        frame = frame.f_back
    return -1
