"""Test helper: a seccomp agent, the listener of SCMP_ACT_NOTIFY.

usage: seccomp-agent.py SOCKET STATE_OUT SYSCALL_NR VALUE

Listens on SOCKET and prints "ready".  Accepts one connection and receives the container
process state (JSON) with the seccomp listener fd attached (SCM_RIGHTS); writes the JSON to
STATE_OUT (and the number of fds received to STATE_OUT.fds).  Then answers notifications: the
syscall SYSCALL_NR returns VALUE (without running), any other one is let through; it stops after
answering SYSCALL_NR once, or when the listener has no process left.
"""
import array
import fcntl
import socket
import struct
import sys

path, state_out, wanted, value = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

# linux/seccomp.h, x86_64 and aarch64 alike
NOTIF_SIZE = 80                # struct seccomp_notif: u64 id, u32 pid, u32 flags, struct seccomp_data
RESP_SIZE = 24                 # struct seccomp_notif_resp: u64 id, s64 val, s32 error, u32 flags
IOCTL_NOTIF_RECV = (3 << 30) | (NOTIF_SIZE << 16) | (ord("!") << 8) | 0
IOCTL_NOTIF_SEND = (3 << 30) | (RESP_SIZE << 16) | (ord("!") << 8) | 1
FLAG_CONTINUE = 1              # SECCOMP_USER_NOTIF_FLAG_CONTINUE

server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(1)
print("ready", flush=True)
conn, _ = server.accept()

fds = array.array("i")
msg, ancdata, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(16 * fds.itemsize))
for level, kind, data in ancdata:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
# the runtime closes the connection after one message
rest = conn.recv(65536)
conn.close()
with open(state_out, "wb") as f:
    f.write(msg + rest)
with open(state_out + ".fds", "w") as f:
    f.write(str(len(fds)))
if len(fds) != 1:
    sys.exit("expected one fd, got %d" % len(fds))
listener = fds[0]

while True:
    notif = bytearray(NOTIF_SIZE)
    try:
        fcntl.ioctl(listener, IOCTL_NOTIF_RECV, notif, True)
    except OSError as e:
        sys.exit("NOTIF_RECV: %s" % e)
    notif_id, pid, flags, nr = struct.unpack_from("=QIIi", notif, 0)
    if nr == wanted:
        resp = struct.pack("=QqiI", notif_id, value, 0, 0)
    else:
        resp = struct.pack("=QqiI", notif_id, 0, 0, FLAG_CONTINUE)
    try:
        fcntl.ioctl(listener, IOCTL_NOTIF_SEND, bytearray(resp), True)
    except OSError as e:
        print("NOTIF_SEND: %s" % e, file=sys.stderr)
    if nr == wanted:
        print("answered %d" % nr, flush=True)
        break
