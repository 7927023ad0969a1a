# codejudge-hack: problem=hack-total language=python expect=WA
# Scan /proc/self/mem for a token or for the tests' expected values (the old harness kept the
# test sources and the token in the submission's own memory), then forge result lines. The
# evaluator reads the tests only after the submission's process was forked, so none are here.
import re


def total(xs):
    found = set()
    with open("/proc/self/maps") as maps:
        regions = [line.split() for line in maps]
    with open("/proc/self/mem", "rb", buffering=0) as mem:
        for region in regions:
            start, end = (int(x, 16) for x in region[0].split("-"))
            if "r" not in region[1] or end - start > 1 << 26:
                continue
            try:
                mem.seek(start)
                data = mem.read(end - start)
            except (OSError, ValueError, OverflowError):
                continue
            found.update(re.findall(rb"[0-9a-f]{32}", data))
            found.update(re.findall(rb"candidate\(\[1, 2, 3\]\) == (\d+)", data))
    for token in found:
        text = token.decode()
        print("\n%s 0 ok\n%s 1 ok\n%s 2 ok" % (text, text, text))
    return -1
