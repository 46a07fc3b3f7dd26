package dev.jrun.runtime.linux;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Out;

/** {@link UnixSockets} through libc. */
final class LinuxUnixSockets implements UnixSockets {
    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_CTRUNC = 0x8;
    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;
    private static final int EMSGSIZE = 90;

    /** The socket calls libc has that {@link LibC} does not declare. */
    public interface Lib {
        int socket(int domain, int type, int protocol);

        int bind(int fd, Pointer addr, int addrlen);

        int listen(int fd, int backlog);

        int connect(int fd, Pointer addr, int addrlen);

        int accept4(int fd, Pointer addr, Pointer addrlen, int flags);

        int getsockopt(int fd, int level, int name, @Out byte[] value, int[] length);

        long sendmsg(int fd, Pointer msg, int flags);

        long recvmsg(int fd, Pointer msg, int flags);

        int fcntl(int fd, int cmd, int arg);

        int close(int fd);
    }

    private static volatile LinuxUnixSockets instance;

    private final Lib lib;
    private final Runtime runtime;

    private LinuxUnixSockets() {
        lib = LibraryLoader.create(Lib.class).load("c");
        runtime = Runtime.getRuntime(lib);
    }

    static LinuxUnixSockets instance() {
        if (instance == null) {
            synchronized (LinuxUnixSockets.class) {
                if (instance == null) {
                    instance = new LinuxUnixSockets();
                }
            }
        }
        return instance;
    }

    private NativeException fail(String operation) {
        return new NativeException(operation, runtime.getLastError());
    }

    private Pointer alloc(int size) {
        return Memory.allocateDirect(runtime, size, true);
    }

    private Pointer address(String path) throws NativeException {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) {
            throw new NativeException("socket address " + path + " (path too long)", 36);
        }
        Pointer addr = alloc(110);
        addr.putShort(0, (short) AF_UNIX);
        addr.put(2, p, 0, p.length);
        addr.putByte(2 + p.length, (byte) 0);
        return addr;
    }

    private int socket() throws NativeException {
        int fd = lib.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw fail("socket");
        }
        return fd;
    }

    @Override
    public int listen(String path) throws NativeException {
        Pointer addr = address(path);
        int fd = socket();
        int len = 2 + path.getBytes(StandardCharsets.UTF_8).length + 1;
        if (lib.bind(fd, addr, len) < 0) {
            NativeException e = fail("bind " + path);
            lib.close(fd);
            throw e;
        }
        if (lib.listen(fd, 128) < 0) {
            NativeException e = fail("listen on " + path);
            lib.close(fd);
            throw e;
        }
        return fd;
    }

    @Override
    public int connect(String path) throws NativeException {
        Pointer addr = address(path);
        int fd = socket();
        if (lib.connect(fd, addr, 2 + path.getBytes(StandardCharsets.UTF_8).length + 1) < 0) {
            NativeException e = fail("connect " + path);
            lib.close(fd);
            throw e;
        }
        return fd;
    }

    @Override
    public int accept(int listener) throws NativeException {
        while (true) {
            int fd = lib.accept4(listener, null, null, SOCK_CLOEXEC);
            if (fd >= 0) {
                return fd;
            }
            if (runtime.getLastError() != Errno.EINTR) {
                throw fail("accept");
            }
        }
    }

    @Override
    public Credentials peer(int socket) throws NativeException {
        byte[] cred = new byte[12];
        int[] len = {12};
        if (lib.getsockopt(socket, SOL_SOCKET, SO_PEERCRED, cred, len) < 0) {
            throw fail("read the peer's credentials");
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(cred).order(java.nio.ByteOrder.nativeOrder());
        return new Credentials(b.getInt(0), b.getInt(4), b.getInt(8));
    }

    @Override
    public Message receive(int socket, int maxBytes, int maxFds) throws NativeException {
        Pointer data = alloc(Math.max(1, maxBytes));
        Pointer iov = alloc(16);
        iov.putPointer(0, data);
        iov.putLong(8, maxBytes);
        int controlSize = 16 + ((4 * maxFds + 7) & ~7);
        Pointer control = alloc(controlSize);
        Pointer msg = alloc(56);
        msg.putPointer(16, iov);
        msg.putLong(24, 1);
        msg.putPointer(32, control);
        msg.putLong(40, controlSize);
        long n;
        while ((n = lib.recvmsg(socket, msg, MSG_CMSG_CLOEXEC)) < 0) {
            if (runtime.getLastError() != Errno.EINTR) {
                throw fail("recvmsg");
            }
        }
        int[] fds = new int[0];
        long controlLen = msg.getLong(40);
        long off = 0;
        while (off + 16 <= controlLen) {
            long len = control.getLong(off);
            if (len < 16 || off + len > controlLen) {
                break;
            }
            if (control.getInt(off + 8) == SOL_SOCKET && control.getInt(off + 12) == SCM_RIGHTS) {
                int count = (int) ((len - 16) / 4);
                int base = fds.length;
                fds = Arrays.copyOf(fds, base + count);
                for (int i = 0; i < count; i++) {
                    fds[base + i] = control.getInt(off + 16 + 4L * i);
                }
            }
            off += (len + 7) & ~7L;
        }
        int flags = msg.getInt(48);
        if ((flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) {
            for (int fd : fds) {
                lib.close(fd);
            }
            throw new NativeException("receive a message (larger than " + maxBytes + " bytes or " + maxFds + " fds)",
                    EMSGSIZE);
        }
        if (n == 0 && fds.length == 0) {
            return null;
        }
        byte[] bytes = new byte[(int) n];
        data.get(0, bytes, 0, (int) n);
        return new Message(bytes, fds);
    }

    @Override
    public void send(int socket, byte[] data, int[] fds) throws NativeException {
        Pointer buf = alloc(Math.max(1, data.length));
        buf.put(0, data, 0, data.length);
        Pointer iov = alloc(16);
        iov.putPointer(0, buf);
        iov.putLong(8, data.length);
        Pointer msg = alloc(56);
        msg.putPointer(16, iov);
        msg.putLong(24, 1);
        if (fds.length > 0) {
            int controlSize = 16 + ((4 * fds.length + 7) & ~7);
            Pointer control = alloc(controlSize);
            control.putLong(0, 16 + 4L * fds.length);
            control.putInt(8, SOL_SOCKET);
            control.putInt(12, SCM_RIGHTS);
            for (int i = 0; i < fds.length; i++) {
                control.putInt(16 + 4L * i, fds[i]);
            }
            msg.putPointer(32, control);
            msg.putLong(40, controlSize);
        }
        while (lib.sendmsg(socket, msg, MSG_NOSIGNAL) < 0) {
            if (runtime.getLastError() != Errno.EINTR) {
                throw fail("sendmsg");
            }
        }
    }

    @Override
    public void closeOnExec(int fd) throws NativeException {
        int flags = lib.fcntl(fd, F_GETFD, 0);
        if (flags < 0 || lib.fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
            throw fail("set close-on-exec on fd " + fd);
        }
    }
}
