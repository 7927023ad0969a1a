# Accepts any two integers that sum to the input number.
import sys

n = int(open(sys.argv[1]).read())
answer = open(sys.argv[3]).read().split()
try:
    a, b = map(int, open(sys.argv[2]).read().split())
except ValueError:
    print("expected two integers", file=sys.stderr)
    sys.exit(1)
if a + b != n:
    print(f"{a} + {b} != {n} (one answer: {' '.join(answer)})", file=sys.stderr)
    sys.exit(1)
print("ok")
