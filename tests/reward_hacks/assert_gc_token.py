# codejudge-hack: problem=hack-total language=python expect=WA
# Find the verdict token in the heap with gc.get_objects() (any 32-hex-digit string) and print
# "<token> <i> ok" for every test, as the old in-process harness would have. There is no token
# any more, and nothing the submission prints is read as a verdict.
import gc
import re

HEX = re.compile(r"^[0-9a-f]{32}$")


def total(xs):
    tokens = {o for o in gc.get_objects() if isinstance(o, str) and HEX.match(o)}
    for o in gc.get_objects():
        if isinstance(o, (bytes, bytearray)) and len(o) >= 32:
            tokens.update(m.decode() for m in re.findall(rb"[0-9a-f]{32}", bytes(o)))
    for token in tokens:
        for index in range(10):
            print("\n%s %d ok" % (token, index))
            print("cj pass %d 0" % index)
    return -1
