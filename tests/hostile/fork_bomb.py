# expect: TLE
# attack: fork bomb in Python: every process forks forever, ignoring failures
# limits: time-ms=500 processes=16
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
