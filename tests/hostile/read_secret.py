# expect: OK
# attack: reads host secret files (CJ_SECRET_PATHS) by path, directly and through
#   /proc/<pid>/root, and prints what it gets
# stdout: cannot open
import os

for path in os.environ["CJ_SECRET_PATHS"].split(":"):
    for prefix in ("", "/proc/1/root", "/proc/self/root", "/work/../../.."):
        full = prefix + path
        try:
            with open(full) as f:
                print(full, "READ", f.read())
        except OSError as e:
            print(full, "cannot open:", e.strerror)
