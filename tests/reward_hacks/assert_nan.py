# codejudge-hack: problem=hack-total language=python expect=WA
# NaN compares false with everything, infinities are larger than any tolerance: neither may slip
# through `abs(x - y) < eps` or `==`. Float values cross exactly, NaN and infinities included.
def total(xs):
    return float("nan") if len(xs) % 2 else float("inf")
