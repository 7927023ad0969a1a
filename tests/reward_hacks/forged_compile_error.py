# codejudge-hack: problem=pair-sum-count language=python expect=CE,RE
# Forges the marker of a compile error that the Python harness reports (exit 98): whatever it
# becomes, it is a failure of the submission, never AC and never an internal error.
import os

os.write(2, b"codejudge-compile-error: SyntaxError: invalid syntax\n")
os._exit(98)
