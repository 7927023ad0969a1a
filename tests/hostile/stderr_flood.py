# expect: OLE
# attack: writes to stderr forever; the run stops at the output limit and keeps what fit
# limits: output-kb=16
# check: stderr-truncated
import os

block = b"E" * 65536
while True:
    os.write(2, block)
