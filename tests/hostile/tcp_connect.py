# expect: RE
# attack: TCP connect from Python to the listener the test opens on the host's 127.0.0.1
# message: exit code 1
import os
import socket

s = socket.create_connection(("127.0.0.1", int(os.environ["CJ_TCP_PORT"])), timeout=1)
print("connected", s)
