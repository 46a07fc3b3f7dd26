package dev.jrun.runtime.linux;

import java.nio.charset.StandardCharsets;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** {@link Syscalls} on Linux x86_64/aarch64 glibc, through jnr-ffi. */
final class LinuxSyscalls implements Syscalls {
    private static final int O_RDWR = 02;
    private static final int O_CLOEXEC = 02000000;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int F_ADD_SEALS = 1033;
    private static final int F_SEAL_ALL = 0x1 | 0x2 | 0x4 | 0x8; // SEAL, SHRINK, GROW, WRITE
    private static final int MFD_CLOEXEC = 1;
    private static final int MFD_ALLOW_SEALING = 2;
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int O_RDONLY = 0;
    private static final int F_GETFL = 3;
    private static final int SOCK_CLOEXEC = O_CLOEXEC;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int WNOHANG = 1;
    private static final long TIOCGWINSZ = 0x5413;
    private static final long TIOCSWINSZ = 0x5414;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POLLIN = 0x1;
    /* the same number on x86_64 and aarch64 (it postdates the per-arch tables) */
    private static final long SYS_PIDFD_OPEN = 434;
    private static final long SYS_PIDFD_GETFD = 438;
    /* first fd of the scratch range where spawn parks sources before dup2 */
    private static final int SCRATCH_FD_BASE = 512;

    private static volatile LinuxSyscalls instance;

    private final LibC libc;
    private final Runtime runtime;
    private volatile boolean hasCloseFrom = true;

    private LinuxSyscalls() {
        libc = LibraryLoader.create(LibC.class).load("c");
        runtime = Runtime.getRuntime(libc);
    }

    static LinuxSyscalls instance() {
        LinuxSyscalls s = instance;
        if (s == null) {
            synchronized (LinuxSyscalls.class) {
                if (instance == null) {
                    instance = new LinuxSyscalls();
                }
                s = instance;
            }
        }
        return s;
    }

    /** See {@link Syscalls#preload()}: every call here fails harmlessly or undoes itself. */
    void warmUp() {
        libc.getuid();
        libc.kill(libc.getpid(), 0);
        libc.close(-1);
        libc.fcntl(-1, F_DUPFD_CLOEXEC, 0);
        int[] pair = new int[2];
        if (libc.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0) {
            libc.close(pair[0]);
            libc.close(pair[1]);
        }
        if (libc.pipe2(pair, O_CLOEXEC) == 0) {
            libc.close(pair[0]);
            libc.close(pair[1]);
        }
        libc.read(-1, new byte[1], 1);
        libc.write(-1, new byte[1], 1);
        int devnull = libc.open("/dev/null", O_RDWR | O_CLOEXEC, 0);
        if (devnull >= 0) {
            libc.close(devnull);
        }
        libc.mkfifo("", 0);
        int memfd = libc.memfd_create("jrun-warm-up", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (memfd >= 0) {
            libc.fcntl(memfd, F_ADD_SEALS, F_SEAL_ALL);
            libc.close(memfd);
        }
        Pointer scratch = alloc(1024);
        libc.posix_spawn_file_actions_init(scratch);
        libc.posix_spawn_file_actions_adddup2(scratch, -1, -1);
        try {
            CloseFrom.INSTANCE.posix_spawn_file_actions_addclosefrom_np(scratch, 1 << 20);
        } catch (UnsatisfiedLinkError e) {
            hasCloseFrom = false;
        }
        libc.posix_spawn_file_actions_destroy(scratch);
        libc.posix_spawnattr_init(scratch);
        libc.posix_spawnattr_setflags(scratch, (short) 0);
        Pointer sigs = alloc(128);
        libc.sigemptyset(sigs);
        libc.sigfillset(sigs);
        libc.posix_spawnattr_setsigmask(scratch, sigs);
        libc.posix_spawnattr_setsigdefault(scratch, sigs);
        libc.posix_spawnattr_destroy(scratch);
        libc.recvmsg(-1, alloc(56), 0);
        libc.sendmsg(-1, alloc(56), 0);
        libc.waitpid(Integer.MIN_VALUE + 1, new int[1], WNOHANG); // no such process group: ECHILD
        libc.syscall(SYS_PIDFD_OPEN, -1, 0, 0, 0);
        libc.poll(alloc(8), 0, 0);
        libc.isatty(-1);
    }

    private int errno() {
        return runtime.getLastError();
    }

    private NativeException fail(String operation) {
        return new NativeException(operation, errno());
    }

    private Pointer alloc(int size) {
        return Memory.allocateDirect(runtime, size, true);
    }

    private Pointer cstring(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Pointer p = alloc(b.length + 1);
        p.put(0, b, 0, b.length);
        p.putByte(b.length, (byte) 0);
        return p;
    }

    private Pointer cstringArray(List<String> items, List<Pointer> keepAlive) {
        Pointer array = alloc((items.size() + 1) * 8);
        for (int i = 0; i < items.size(); i++) {
            Pointer s = cstring(items.get(i));
            keepAlive.add(s);
            array.putPointer(i * 8L, s);
        }
        array.putAddress(items.size() * 8L, 0L);
        return array;
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, int[] childFds) throws NativeException {
        // Sources are first parked far away so no dup2 clobbers another source.
        int[] parked = new int[childFds.length];
        java.util.Arrays.fill(parked, -1);
        Pointer actions = alloc(1024);
        Pointer attr = alloc(1024);
        Pointer sigs = alloc(128);
        List<Pointer> keepAlive = new java.util.ArrayList<>();
        try {
            for (int k = 0; k < childFds.length; k++) {
                if (childFds[k] >= 0) {
                    parked[k] = libc.fcntl(childFds[k], F_DUPFD_CLOEXEC, SCRATCH_FD_BASE);
                    if (parked[k] < 0) {
                        throw fail("dup fd " + childFds[k]);
                    }
                }
            }
            libc.posix_spawn_file_actions_init(actions);
            libc.posix_spawnattr_init(attr);
            for (int k = 0; k < childFds.length; k++) {
                if (parked[k] >= 0) {
                    libc.posix_spawn_file_actions_adddup2(actions, parked[k], k);
                }
            }
            boolean closeFrom = addCloseFrom(actions, childFds.length);
            if (!closeFrom) {
                markInheritedCloexec(childFds.length);
            }
            libc.sigemptyset(sigs);
            libc.posix_spawnattr_setsigmask(attr, sigs);
            libc.sigfillset(sigs);
            libc.posix_spawnattr_setsigdefault(attr, sigs);
            libc.posix_spawnattr_setflags(attr, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK));
            int[] pid = new int[1];
            int rc = libc.posix_spawn(pid, path, actions, attr, cstringArray(argv, keepAlive), cstringArray(env, keepAlive));
            if (rc != 0) {
                throw new NativeException("spawn " + path, rc);
            }
            return pid[0];
        } finally {
            libc.posix_spawn_file_actions_destroy(actions);
            libc.posix_spawnattr_destroy(attr);
            for (int fd : parked) {
                if (fd >= 0) {
                    libc.close(fd);
                }
            }
        }
    }

    private boolean addCloseFrom(Pointer actions, int from) {
        if (!hasCloseFrom) {
            return false;
        }
        try {
            return CloseFrom.INSTANCE.posix_spawn_file_actions_addclosefrom_np(actions, from) == 0;
        } catch (UnsatisfiedLinkError e) {
            hasCloseFrom = false;
            return false;
        }
    }

    /** Fallback for a libc without addclosefrom: nothing we did not choose may reach the child. */
    private void markInheritedCloexec(int from) {
        java.io.File[] fds = new java.io.File("/proc/self/fd").listFiles();
        if (fds == null) {
            return;
        }
        for (java.io.File f : fds) {
            int fd = Integer.parseInt(f.getName());
            if (fd >= from) {
                libc.fcntl(fd, 2 /* F_SETFD */, 1 /* FD_CLOEXEC */);
            }
        }
    }

    /** A separate binding: the symbol only exists in glibc 2.34 and newer, and loads on first use. */
    public interface CloseFrom {
        CloseFrom INSTANCE = LibraryLoader.create(CloseFrom.class).load("c");

        int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);
    }

    @Override
    public int sealedMemfd(String name, byte[] content) throws NativeException {
        int fd = libc.memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0) {
            throw fail("memfd_create");
        }
        try {
            writeAll(fd, content, 0, content.length);
            if (libc.fcntl(fd, F_ADD_SEALS, F_SEAL_ALL) < 0) {
                throw fail("seal memfd");
            }
            return fd;
        } catch (NativeException e) {
            libc.close(fd);
            throw e;
        }
    }

    @Override
    public int[] socketPair() throws NativeException {
        int[] fds = new int[2];
        if (libc.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0) {
            throw fail("socketpair");
        }
        return fds;
    }

    @Override
    public int[] seqpacketPair() throws NativeException {
        int[] fds = new int[2];
        if (libc.socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0) {
            throw fail("socketpair");
        }
        return fds;
    }

    @Override
    public int openReadOnly(String path) throws NativeException {
        return open(path, O_RDONLY | O_CLOEXEC);
    }

    private int open(String path, int flags) throws NativeException {
        int fd = libc.open(path, flags, 0);
        if (fd < 0) {
            throw fail("open " + path);
        }
        return fd;
    }

    @Override
    public int fdFlags(int fd) throws NativeException {
        int flags = libc.fcntl(fd, F_GETFL, 0);
        if (flags < 0) {
            throw fail("fcntl " + fd);
        }
        return flags;
    }

    @Override
    public int[] pipe() throws NativeException {
        int[] fds = new int[2];
        if (libc.pipe2(fds, O_CLOEXEC) < 0) {
            throw fail("pipe");
        }
        return fds;
    }

    @Override
    public int connectUnix(String path) throws NativeException {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) {
            throw new NativeException("connect " + path + " (path too long)", 36);
        }
        int fd = libc.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw fail("socket");
        }
        Pointer addr = alloc(110);
        addr.putShort(0, (short) AF_UNIX);
        addr.put(2, p, 0, p.length);
        addr.putByte(2 + p.length, (byte) 0);
        if (libc.connect(fd, addr, 2 + p.length + 1) < 0) {
            NativeException e = fail("connect " + path);
            libc.close(fd);
            throw e;
        }
        return fd;
    }

    @Override
    public int openFifo(String path) throws NativeException {
        // O_RDWR never blocks on a FIFO, whether or not a reader is there yet
        return open(path, O_RDWR | O_CLOEXEC);
    }

    @Override
    public void mkfifo(String path, int mode) throws NativeException {
        if (libc.mkfifo(path, mode) < 0) {
            throw fail("mkfifo " + path);
        }
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) throws NativeException {
        byte[] tmp = off == 0 ? buf : new byte[len];
        while (true) {
            long n = libc.read(fd, tmp, len);
            if (n < 0) {
                if (errno() == Errno.EINTR) {
                    continue;
                }
                throw fail("read");
            }
            if (tmp != buf) {
                System.arraycopy(tmp, 0, buf, off, (int) n);
            }
            return (int) n;
        }
    }

    @Override
    public void writeAll(int fd, byte[] buf, int off, int len) throws NativeException {
        while (len > 0) {
            byte[] chunk = off == 0 ? buf : java.util.Arrays.copyOfRange(buf, off, off + len);
            long n = libc.write(fd, chunk, len);
            if (n < 0) {
                if (errno() == Errno.EINTR) {
                    continue;
                }
                throw fail("write");
            }
            off += (int) n;
            len -= (int) n;
        }
    }

    @Override
    public Received receive(int fd, byte[] buf, int off, int len) throws NativeException {
        Pointer data = alloc(len);
        Pointer iov = alloc(16);
        iov.putPointer(0, data);
        iov.putLong(8, len);
        Pointer control = alloc(64);
        Pointer msg = alloc(56);
        msg.putPointer(16, iov);
        msg.putLong(24, 1);
        msg.putPointer(32, control);
        msg.putLong(40, 64);
        long n;
        while ((n = libc.recvmsg(fd, msg, MSG_CMSG_CLOEXEC)) < 0) {
            if (errno() != Errno.EINTR) {
                throw fail("recvmsg");
            }
        }
        data.get(0, buf, off, (int) n);
        int passed = -1;
        long controlLen = msg.getLong(40);
        if (controlLen >= 20 && control.getInt(8) == SOL_SOCKET && control.getInt(12) == SCM_RIGHTS) {
            passed = control.getInt(16);
        }
        return new Received((int) n, passed);
    }

    @Override
    public void sendWithFd(int socket, byte[] data, int fd) throws NativeException {
        Pointer buf = alloc(Math.max(1, data.length));
        buf.put(0, data, 0, data.length);
        Pointer iov = alloc(16);
        iov.putPointer(0, buf);
        iov.putLong(8, data.length);
        Pointer control = alloc(24);
        control.putLong(0, 20);
        control.putInt(8, SOL_SOCKET);
        control.putInt(12, SCM_RIGHTS);
        control.putInt(16, fd);
        Pointer msg = alloc(56);
        msg.putPointer(16, iov);
        msg.putLong(24, 1);
        msg.putPointer(32, control);
        msg.putLong(40, 24);
        while (libc.sendmsg(socket, msg, MSG_NOSIGNAL) < 0) {
            if (errno() != Errno.EINTR) {
                throw fail("sendmsg");
            }
        }
    }

    private static final long SYS_OPENAT2 = 437;
    private static final int AT_FDCWD = -100;
    private static final int O_PATH = 010000000;
    private static final int O_NOFOLLOW = 0400000;
    private static final long RESOLVE_NO_SYMLINKS = 0x04;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_MNT_ID = 0x1000;
    private static final int MNT_DETACH = 2;

    @Override
    public boolean detachMount(String path, long mountId) throws NativeException {
        // struct open_how { u64 flags; u64 mode; u64 resolve; }
        Pointer how = Memory.allocateDirect(runtime, 24);
        how.putLong(0, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        how.putLong(8, 0);
        how.putLong(16, RESOLVE_NO_SYMLINKS);
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        Pointer pathz = Memory.allocateDirect(runtime, bytes.length + 1);
        pathz.put(0, bytes, 0, bytes.length);
        pathz.putByte(bytes.length, (byte) 0);
        long fd = libc.syscall(SYS_OPENAT2, AT_FDCWD, pathz.address(), how.address(), 24);
        if (fd < 0) {
            if (errno() == Errno.ENOENT) {
                return false;
            }
            throw fail("open " + path);
        }
        try {
            // struct statx: stx_mnt_id is the u64 at offset 144
            Pointer stx = Memory.allocateDirect(runtime, 256);
            if (libc.statx((int) fd, "", AT_EMPTY_PATH, STATX_MNT_ID, stx) < 0) {
                throw fail("statx " + path);
            }
            if (stx.getLong(144) != mountId) {
                return false;
            }
            if (libc.umount2("/proc/self/fd/" + fd, MNT_DETACH) < 0) {
                throw fail("unmount " + path);
            }
            return true;
        } finally {
            libc.close((int) fd);
        }
    }

    @Override
    public void close(int fd) {
        if (fd >= 0) {
            libc.close(fd);
        }
    }

    @Override
    public void kill(int pid, int signal) throws NativeException {
        if (libc.kill(pid, signal) < 0) {
            throw fail("kill");
        }
    }

    @Override
    public int pidfdOpen(int pid) throws NativeException {
        long fd = libc.syscall(SYS_PIDFD_OPEN, pid, 0, 0, 0);
        if (fd < 0) {
            throw fail("pidfd_open " + pid);
        }
        // pidfds are close-on-exec from the kernel already
        return (int) fd;
    }

    @Override
    public int pidfdGetfd(int pidfd, int targetFd) throws NativeException {
        long fd = libc.syscall(SYS_PIDFD_GETFD, pidfd, targetFd, 0, 0);
        if (fd < 0) {
            throw fail("pidfd_getfd " + targetFd);
        }
        return (int) fd;
    }

    @Override
    public int waitpid(int pid, boolean noHang) throws NativeException {
        int[] status = new int[1];
        while (true) {
            int rc = libc.waitpid(pid, status, noHang ? WNOHANG : 0);
            if (rc < 0) {
                if (errno() == Errno.EINTR) {
                    continue;
                }
                throw fail("wait for " + pid);
            }
            return rc == 0 ? -1 : status[0];
        }
    }

    @Override
    public boolean[] pollIn(int[] fds, int timeoutMillis) throws NativeException {
        Pointer p = alloc(8 * fds.length);
        for (int i = 0; i < fds.length; i++) {
            p.putInt(8L * i, fds[i]);
            p.putShort(8L * i + 4, POLLIN);
        }
        int rc;
        while ((rc = libc.poll(p, fds.length, timeoutMillis)) < 0) {
            if (errno() != Errno.EINTR) {
                throw fail("poll");
            }
        }
        boolean[] ready = new boolean[fds.length];
        for (int i = 0; rc > 0 && i < fds.length; i++) {
            ready[i] = p.getShort(8L * i + 6) != 0;
        }
        return ready;
    }

    @Override
    public int getuid() {
        return libc.getuid();
    }

    @Override
    public boolean isatty(int fd) {
        return libc.isatty(fd) == 1;
    }

    @Override
    public int[] windowSize(int fd) {
        Pointer ws = alloc(8);
        if (libc.ioctl(fd, TIOCGWINSZ, ws) < 0) {
            return null;
        }
        return new int[] {ws.getShort(0) & 0xffff, ws.getShort(2) & 0xffff};
    }

    @Override
    public void setWindowSize(int fd, int rows, int cols) throws NativeException {
        Pointer ws = alloc(8);
        ws.putShort(0, (short) rows);
        ws.putShort(2, (short) cols);
        if (libc.ioctl(fd, TIOCSWINSZ, ws) < 0) {
            throw fail("set window size");
        }
    }

    /** struct termios: c_iflag, then c_oflag (u32 at offset 4); ONLCR is 04 on Linux. */
    @Override
    public void clearOnlcr(int fd) throws NativeException {
        Pointer t = alloc(128);
        if (libc.tcgetattr(fd, t) < 0) {
            throw fail("tcgetattr");
        }
        t.putInt(4, t.getInt(4) & ~04);
        if (libc.tcsetattr(fd, 0 /* TCSANOW */, t) < 0) {
            throw fail("tcsetattr");
        }
    }

    @Override
    public byte[] makeRaw(int fd) throws NativeException {
        Pointer t = alloc(128);
        if (libc.tcgetattr(fd, t) < 0) {
            throw fail("tcgetattr");
        }
        byte[] saved = new byte[128];
        t.get(0, saved, 0, saved.length);
        libc.cfmakeraw(t);
        if (libc.tcsetattr(fd, 0 /* TCSANOW */, t) < 0) {
            throw fail("tcsetattr");
        }
        return saved;
    }

    @Override
    public void restoreTerminal(int fd, byte[] saved) {
        Pointer t = alloc(128);
        t.put(0, saved, 0, saved.length);
        libc.tcsetattr(fd, 0, t);
    }
}
