# codejudge-hack: problem=hack-apply language=python expect=RE
# The test passes a lambda: the submission gets a handle to the evaluator's function and reads
# its __globals__ (the test's namespace, with the expected list) and __code__ through it. The
# evaluator only lets such a handle be called or iterated.
def apply_all(fn, xs):
    for name in ("__globals__", "__code__", "__closure__", "__self__"):
        try:
            stolen = getattr(fn, name)
        except Exception:
            continue
        if isinstance(stolen, dict) and "SECRET_EXPECTED" in stolen:
            return stolen["SECRET_EXPECTED"]
    raise RuntimeError("nothing stolen")
