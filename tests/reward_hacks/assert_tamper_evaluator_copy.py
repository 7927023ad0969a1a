# codejudge-hack: problem=hack-total language=python expect=WA,RE,TLE
# The submission's process is a fork of the evaluator: rewrite its copy of the evaluator's
# functions (Records.write, run_test, the channel's fail) so that every test passes. Those are
# copies in the submission's own memory; the evaluator runs its own. Breaking its own side of
# the channel leaves the evaluator waiting for an answer: the time limit.
import sys

module = sys.modules.get("__main__")
for name in dir(module):
    value = getattr(module, name)
    if callable(value) and not isinstance(value, type):
        try:
            setattr(module, name, lambda *args, **kwargs: (b"pass", b""))
        except Exception:
            pass
    elif isinstance(value, type):
        for attr in ("write", "fail", "exchange", "reply_value"):
            if attr in vars(value):
                setattr(value, attr, lambda *args, **kwargs: None)


def total(xs):
    return -1
