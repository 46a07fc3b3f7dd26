"""Test helper: the receiving end of a console socket, as containerd's shim is.

usage: recvtty.py SOCKET OUTPUT
Listens on SOCKET, prints "ready", receives one pty master over SCM_RIGHTS, and copies
everything the container writes to its terminal into OUTPUT until the terminal closes.
"""
import os
import socket
import sys

path, output = sys.argv[1], sys.argv[2]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(1)
print("ready", flush=True)
conn, _ = server.accept()
msg, fds, _, _ = socket.recv_fds(conn, 1024, 1)
if not fds:
    sys.exit("no fd received")
with open(output + ".name", "wb") as f:
    f.write(msg)
data = b""
while True:
    try:
        chunk = os.read(fds[0], 4096)
    except OSError:
        break  # EIO: the last holder of the pty peer is gone
    if not chunk:
        break
    data += chunk
with open(output, "wb") as f:
    f.write(data)
