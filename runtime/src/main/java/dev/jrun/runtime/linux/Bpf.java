package dev.jrun.runtime.linux;

import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * bpf(2) for the cgroup v2 device filter: load a BPF_PROG_TYPE_CGROUP_DEVICE program, attach
 * it to a cgroup directory with BPF_F_ALLOW_MULTI, list and detach the programs attached
 * there.  The instructions come from {@code dev.jrun.runtime.cgroups.DeviceFilter}.
 */
public final class Bpf {
    // bpf(2) commands
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_DETACH = 9;
    private static final int BPF_PROG_GET_FD_BY_ID = 13;
    private static final int BPF_PROG_QUERY = 16;

    public static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    public static final int BPF_CGROUP_DEVICE = 6;
    public static final int BPF_F_ALLOW_MULTI = 2;

    /** sizeof(union bpf_attr) of the kernels we know; the kernel wants any tail beyond its own zeroed. */
    private static final int ATTR_SIZE = 128;
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_CLOEXEC = 02000000;
    private static final int RLIMIT_MEMLOCK = 8;
    private static final int ENOSPC = 28;
    private static final String PROGRAM_NAME = "jrun_devices";

    /** The libc functions used here. */
    public interface Native {
        long syscall(long number, long cmd, Pointer attr, long size);

        int open(String path, int flags, int mode);

        int close(int fd);

        int getrlimit(int resource, Pointer rlim);

        int setrlimit(int resource, Pointer rlim);
    }

    private static volatile Bpf instance;

    private final Native libc;
    private final Runtime runtime;
    private final long sysBpf;

    private Bpf(long sysBpf) {
        this.libc = LibraryLoader.create(Native.class).load("c");
        this.runtime = Runtime.getRuntime(libc);
        this.sysBpf = sysBpf;
    }

    private static Bpf get() throws NativeException {
        Bpf b = instance;
        if (b == null) {
            synchronized (Bpf.class) {
                if (instance == null) {
                    instance = new Bpf(syscallNumber(System.getProperty("os.arch")));
                }
                b = instance;
            }
        }
        return b;
    }

    /** The bpf syscall number for an os.arch: 321 on x86_64, 280 on aarch64 (the asm-generic table). */
    public static long syscallNumber(String arch) throws NativeException {
        switch (arch == null ? "" : arch.toLowerCase(Locale.ROOT)) {
            case "amd64":
            case "x86_64":
                return 321;
            case "aarch64":
            case "arm64":
                return 280;
            default:
                throw new NativeException("bpf: unsupported architecture " + arch, Errno.ENOSYS);
        }
    }

    private Pointer attr() {
        return Memory.allocateDirect(runtime, ATTR_SIZE, true);
    }

    private long bpf(int cmd, Pointer attr) {
        return libc.syscall(sysBpf, cmd, attr, ATTR_SIZE);
    }

    private int errno() {
        return runtime.getLastError();
    }

    private Pointer bytes(byte[] b, boolean nulTerminated) {
        Pointer p = Memory.allocateDirect(runtime, b.length + (nulTerminated ? 1 : 0), true);
        p.put(0, b, 0, b.length);
        return p;
    }

    // ------------------------------------------------------------------ public operations

    /**
     * BPF_PROG_LOAD of a BPF_PROG_TYPE_CGROUP_DEVICE program.  On kernels before 5.11 the
     * program's memory counts against RLIMIT_MEMLOCK: if the load fails with EPERM the limit
     * is lifted for one more try and restored at once, so no process spawned later inherits
     * it.  A refusal by the verifier reports the verifier's log.
     *
     * @param insns eBPF instructions, 8 bytes each, in the machine's byte order
     * @return the program fd (close-on-exec)
     */
    public static int loadCgroupDeviceProgram(byte[] insns, String license) throws NativeException {
        return get().load(insns, license);
    }

    /** Closes a program fd from {@link #loadCgroupDeviceProgram} (an attached program stays attached). */
    public static void close(int fd) throws NativeException {
        Bpf b = get();
        if (b.libc.close(fd) != 0) {
            throw new NativeException("close", b.errno());
        }
    }

    /** Attaches a device program to a cgroup v2 directory (BPF_F_ALLOW_MULTI). */
    public static void attachCgroupDevice(int progFd, String cgroupDir) throws NativeException {
        Bpf b = get();
        int dirFd = b.openDir(cgroupDir);
        try {
            b.attach(dirFd, progFd);
        } finally {
            b.libc.close(dirFd);
        }
    }

    /** The ids of the device programs attached directly to a cgroup v2 directory. */
    public static int[] queryCgroupDevicePrograms(String cgroupDir) throws NativeException {
        Bpf b = get();
        int dirFd = b.openDir(cgroupDir);
        try {
            return b.query(dirFd);
        } finally {
            b.libc.close(dirFd);
        }
    }

    /** Detaches the device program with id {@code progId} from a cgroup v2 directory. */
    public static void detachCgroupDevice(int progId, String cgroupDir) throws NativeException {
        Bpf b = get();
        int dirFd = b.openDir(cgroupDir);
        try {
            int progFd = b.progFd(progId);
            try {
                b.detach(dirFd, progFd);
            } finally {
                b.libc.close(progFd);
            }
        } finally {
            b.libc.close(dirFd);
        }
    }

    /**
     * Makes {@code insns} the cgroup's only device filter, as runc does: the programs attached
     * before are listed, the new one is loaded and attached, then the old ones are detached (the
     * cgroup never is without a filter; for a moment both apply, which only denies more).
     * Programs this process may not open (EPERM/EACCES, e.g. under an LSM policy) stay
     * attached: another device program can only deny more.
     */
    public static void replaceCgroupDeviceProgram(byte[] insns, String license, String cgroupDir) throws NativeException {
        Bpf b = get();
        int dirFd = b.openDir(cgroupDir);
        List<Integer> oldFds = new ArrayList<>();
        try {
            for (int id : b.query(dirFd)) {
                try {
                    oldFds.add(b.progFd(id));
                } catch (NativeException e) {
                    if (e.errno() != Errno.EPERM && e.errno() != Errno.EACCES && e.errno() != Errno.ENOENT) {
                        throw e;
                    }
                }
            }
            int progFd = b.load(insns, license);
            try {
                b.attach(dirFd, progFd);
            } finally {
                b.libc.close(progFd); // the attachment holds the program
            }
            for (int old : oldFds) {
                try {
                    b.detach(dirFd, old);
                } catch (NativeException e) {
                    // already gone (another updater): nothing left to remove
                    if (e.errno() != Errno.ENOENT) {
                        throw e;
                    }
                }
            }
        } finally {
            for (int fd : oldFds) {
                b.libc.close(fd);
            }
            b.libc.close(dirFd);
        }
    }

    // ------------------------------------------------------------------ the calls

    private int openDir(String dir) throws NativeException {
        int fd = libc.open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) {
            throw new NativeException("open " + dir, errno());
        }
        return fd;
    }

    private int load(byte[] insns, String license) throws NativeException {
        if (insns.length == 0 || insns.length % 8 != 0) {
            throw new NativeException("bpf(BPF_PROG_LOAD): " + insns.length + " bytes are no eBPF program", Errno.EINVAL);
        }
        Pointer code = bytes(insns, false);
        Pointer lic = bytes(license.getBytes(StandardCharsets.US_ASCII), true);
        int fd = tryLoad(code, insns.length / 8, lic, null, 0);
        if (fd >= 0) {
            return fd;
        }
        int err = errno();
        if (err == Errno.EPERM) {
            fd = loadWithMemlockLifted(code, insns.length / 8, lic);
            if (fd >= 0) {
                return fd;
            }
            err = errno();
        }
        if (err == Errno.EACCES || err == Errno.EINVAL) {
            // ask the verifier why
            int logSize = 64 * 1024;
            Pointer log = Memory.allocateDirect(runtime, logSize, true);
            fd = tryLoad(code, insns.length / 8, lic, log, logSize);
            if (fd >= 0) {
                return fd;
            }
            String text = log.getString(0, logSize, StandardCharsets.UTF_8).trim();
            throw new NativeException("bpf(BPF_PROG_LOAD)" + (text.isEmpty() ? "" : " (verifier: " + lastLines(text) + ")"), err);
        }
        throw new NativeException("bpf(BPF_PROG_LOAD)", err);
    }

    private static String lastLines(String log) {
        String[] lines = log.split("\n");
        int from = Math.max(0, lines.length - 3);
        return String.join("; ", java.util.Arrays.asList(lines).subList(from, lines.length));
    }

    private int tryLoad(Pointer code, int count, Pointer license, Pointer log, int logSize) {
        Pointer a = attr();
        a.putInt(0, BPF_PROG_TYPE_CGROUP_DEVICE); // prog_type
        a.putInt(4, count); // insn_cnt
        a.putLong(8, code.address()); // insns
        a.putLong(16, license.address()); // license
        if (log != null) {
            a.putInt(24, 1); // log_level
            a.putInt(28, logSize); // log_size
            a.putLong(32, log.address()); // log_buf
        }
        byte[] name = PROGRAM_NAME.getBytes(StandardCharsets.US_ASCII);
        a.put(48, name, 0, name.length); // prog_name[16]
        long fd = bpf(BPF_PROG_LOAD, a);
        // the attr holds bare addresses: keep the buffers alive until the kernel has read them
        Reference.reachabilityFence(code);
        Reference.reachabilityFence(license);
        Reference.reachabilityFence(log);
        return (int) fd;
    }

    private int loadWithMemlockLifted(Pointer code, int count, Pointer license) {
        Pointer old = Memory.allocateDirect(runtime, 16, true);
        if (libc.getrlimit(RLIMIT_MEMLOCK, old) != 0) {
            return -1;
        }
        Pointer inf = Memory.allocateDirect(runtime, 16, true);
        inf.putLong(0, -1L);
        inf.putLong(8, -1L);
        if (libc.setrlimit(RLIMIT_MEMLOCK, inf) != 0) {
            return -1;
        }
        try {
            return tryLoad(code, count, license, null, 0);
        } finally {
            int saved = errno();
            libc.setrlimit(RLIMIT_MEMLOCK, old);
            runtime.setLastError(saved);
        }
    }

    private void attach(int dirFd, int progFd) throws NativeException {
        Pointer a = attr();
        a.putInt(0, dirFd); // target_fd
        a.putInt(4, progFd); // attach_bpf_fd
        a.putInt(8, BPF_CGROUP_DEVICE); // attach_type
        a.putInt(12, BPF_F_ALLOW_MULTI); // attach_flags
        if (bpf(BPF_PROG_ATTACH, a) < 0) {
            throw new NativeException("bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI)", errno());
        }
    }

    private void detach(int dirFd, int progFd) throws NativeException {
        Pointer a = attr();
        a.putInt(0, dirFd); // target_fd
        a.putInt(4, progFd); // attach_bpf_fd
        a.putInt(8, BPF_CGROUP_DEVICE); // attach_type
        if (bpf(BPF_PROG_DETACH, a) < 0) {
            throw new NativeException("bpf(BPF_PROG_DETACH, BPF_CGROUP_DEVICE)", errno());
        }
    }

    private int[] query(int dirFd) throws NativeException {
        int capacity = 64; // the kernel allows at most 64 programs per attach point
        for (int attempt = 0; attempt < 10; attempt++) {
            Pointer ids = Memory.allocateDirect(runtime, 4 * capacity, true);
            Pointer a = attr();
            a.putInt(0, dirFd); // target_fd
            a.putInt(4, BPF_CGROUP_DEVICE); // attach_type
            a.putLong(16, ids.address()); // prog_ids
            a.putInt(24, capacity); // prog_cnt
            long rc = bpf(BPF_PROG_QUERY, a);
            int err = errno();
            int count = a.getInt(24);
            if (rc < 0) {
                if (err == ENOSPC && count > capacity) {
                    capacity = count; // the kernel told us how many there are
                    continue;
                }
                throw new NativeException("bpf(BPF_PROG_QUERY, BPF_CGROUP_DEVICE)", err);
            }
            int[] out = new int[Math.min(count, capacity)];
            for (int i = 0; i < out.length; i++) {
                out[i] = ids.getInt(4L * i);
            }
            Reference.reachabilityFence(ids);
            return out;
        }
        throw new NativeException("bpf(BPF_PROG_QUERY, BPF_CGROUP_DEVICE): the list keeps growing", ENOSPC);
    }

    private int progFd(int id) throws NativeException {
        Pointer a = attr();
        a.putInt(0, id); // prog_id
        long fd = bpf(BPF_PROG_GET_FD_BY_ID, a);
        if (fd < 0) {
            throw new NativeException("bpf(BPF_PROG_GET_FD_BY_ID, " + id + ")", errno());
        }
        return (int) fd;
    }
}
