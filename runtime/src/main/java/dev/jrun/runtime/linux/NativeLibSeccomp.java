package dev.jrun.runtime.linux;

import java.util.List;
import java.util.Locale;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Out;

/** {@link LibSeccomp} through jnr-ffi; the kernel probes call seccomp(2) directly. */
final class NativeLibSeccomp implements LibSeccomp {
    private static final int SECCOMP_SET_MODE_FILTER = 1;
    private static final int SECCOMP_GET_ACTION_AVAIL = 2;
    private static final int MFD_CLOEXEC = 1;
    /* sizeof(struct scmp_arg_cmp): u32 arg, u32 op, u64 datum_a, u64 datum_b */
    private static final int ARG_CMP_SIZE = 24;

    /** The libseccomp functions used. */
    public interface Native {
        Pointer seccomp_version();

        int seccomp_api_get();

        int seccomp_api_set(int level);

        Pointer seccomp_init(int defAction);

        void seccomp_release(Pointer ctx);

        int seccomp_arch_native();

        int seccomp_arch_resolve_name(String name);

        int seccomp_arch_add(Pointer ctx, int arch);

        int seccomp_arch_remove(Pointer ctx, int arch);

        int seccomp_syscall_resolve_name(String name);

        int seccomp_syscall_resolve_name_arch(int arch, String name);

        int seccomp_rule_add_array(Pointer ctx, int action, int syscall, int argCount, Pointer args);

        int seccomp_attr_set(Pointer ctx, int attr, int value);

        int seccomp_attr_get(Pointer ctx, int attr, @Out int[] value);

        int seccomp_export_bpf(Pointer ctx, int fd);
    }

    /** The libc functions used. */
    public interface Kernel {
        long syscall(long number, long op, long flags, Pointer args);

        int memfd_create(String name, int flags);

        long pread(int fd, @Out byte[] buf, long count, long offset);

        int close(int fd);
    }

    private static volatile NativeLibSeccomp instance;

    private final Native lib;
    private final Kernel kernel;
    private final Runtime runtime;
    private final Runtime kernelRuntime;
    private final long sysSeccomp;

    private NativeLibSeccomp(Native lib, Kernel kernel) {
        this.lib = lib;
        this.kernel = kernel;
        this.runtime = Runtime.getRuntime(lib);
        this.kernelRuntime = Runtime.getRuntime(kernel);
        this.sysSeccomp = syscallNumber(System.getProperty("os.arch"));
    }

    static NativeLibSeccomp instance() throws LibraryMissingException {
        NativeLibSeccomp s = instance;
        if (s == null) {
            synchronized (NativeLibSeccomp.class) {
                if (instance == null) {
                    // libc first: a failure there is jnr-ffi's own, not a missing libseccomp
                    Kernel kernel = LibraryLoader.create(Kernel.class).load("c");
                    Native lib;
                    try {
                        lib = LibraryLoader.create(Native.class).failImmediately().load(LIBRARY);
                    } catch (UnsatisfiedLinkError e) {
                        throw new LibraryMissingException(missing(e), e);
                    }
                    instance = new NativeLibSeccomp(lib, kernel);
                }
                s = instance;
            }
        }
        return s;
    }

    /** The reason in words; dlopen's "No such file or directory" would read like a missing container binary. */
    static String missing(UnsatisfiedLinkError e) {
        String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        String text = "seccomp needs " + LIBRARY + " from the Debian package " + PACKAGE;
        return first.contains("cannot open shared object file") ? text + ", which is not installed on this host"
                : text + ", which cannot be loaded: " + first;
    }

    /** seccomp(2): 317 on x86_64, 277 on aarch64 (the asm-generic table); -1 elsewhere. */
    static long syscallNumber(String arch) {
        switch (arch == null ? "" : arch.toLowerCase(Locale.ROOT)) {
            case "amd64":
            case "x86_64":
                return 317;
            case "aarch64":
            case "arm64":
                return 277;
            default:
                return -1;
        }
    }

    private static void check(int rc, String operation) throws NativeException {
        if (rc < 0) {
            throw new NativeException(operation, -rc);
        }
    }

    @Override
    public String version() {
        Pointer v = lib.seccomp_version();
        if (v == null) {
            return "unknown";
        }
        return v.getInt(0) + "." + v.getInt(4) + "." + v.getInt(8);
    }

    @Override
    public int apiLevel() {
        return lib.seccomp_api_get();
    }

    @Override
    public void setApiLevel(int level) throws NativeException {
        check(lib.seccomp_api_set(level), "seccomp_api_set(" + level + ")");
    }

    @Override
    public int nativeArch() {
        return lib.seccomp_arch_native();
    }

    @Override
    public int resolveArch(String name) {
        return lib.seccomp_arch_resolve_name(name);
    }

    @Override
    public int resolveSyscall(int arch, String name) {
        return arch == ARCH_NATIVE ? lib.seccomp_syscall_resolve_name(name)
                : lib.seccomp_syscall_resolve_name_arch(arch, name);
    }

    @Override
    public Filter newFilter(int defaultAction) throws NativeException {
        Pointer ctx = lib.seccomp_init(defaultAction);
        if (ctx == null) {
            // libseccomp reports no reason; an action the kernel lacks is the usual one
            throw new NativeException("seccomp_init(0x" + Integer.toHexString(defaultAction) + ")", Errno.EINVAL);
        }
        return new NativeFilter(ctx);
    }

    @Override
    public boolean kernelHasAction(int action) {
        if (sysSeccomp < 0) {
            return false;
        }
        Pointer p = Memory.allocateDirect(kernelRuntime, 4, true);
        p.putInt(0, action);
        return kernel.syscall(sysSeccomp, SECCOMP_GET_ACTION_AVAIL, 0, p) == 0;
    }

    @Override
    public boolean kernelHasFlags(long flags) {
        if (sysSeccomp < 0) {
            return false;
        }
        // a NULL program: EFAULT means every flag passed the kernel's check, and nothing is loaded
        return kernel.syscall(sysSeccomp, SECCOMP_SET_MODE_FILTER, flags, null) < 0
                && kernelRuntime.getLastError() == 14 /* EFAULT */;
    }

    private final class NativeFilter implements Filter {
        private Pointer ctx;

        NativeFilter(Pointer ctx) {
            this.ctx = ctx;
        }

        private Pointer ctx() {
            if (ctx == null) {
                throw new IllegalStateException("seccomp filter already released");
            }
            return ctx;
        }

        @Override
        public void addArch(int arch) throws NativeException {
            int rc = lib.seccomp_arch_add(ctx(), arch);
            if (rc != -Errno.EEXIST) {
                check(rc, "seccomp_arch_add(0x" + Integer.toHexString(arch) + ")");
            }
        }

        @Override
        public void removeArch(int arch) throws NativeException {
            check(lib.seccomp_arch_remove(ctx(), arch), "seccomp_arch_remove(0x" + Integer.toHexString(arch) + ")");
        }

        @Override
        public void setAttribute(Attribute attribute, int value) throws NativeException {
            check(lib.seccomp_attr_set(ctx(), attribute.value, value), "seccomp_attr_set(" + attribute + ")");
        }

        @Override
        public int getAttribute(Attribute attribute) throws NativeException {
            int[] value = new int[1];
            check(lib.seccomp_attr_get(ctx(), attribute.value, value), "seccomp_attr_get(" + attribute + ")");
            return value[0];
        }

        @Override
        public void addRule(int action, int syscall, List<Condition> conditions) throws NativeException {
            Pointer args = null;
            if (!conditions.isEmpty()) {
                args = Memory.allocateDirect(runtime, ARG_CMP_SIZE * conditions.size(), true);
                for (int i = 0; i < conditions.size(); i++) {
                    Condition c = conditions.get(i);
                    long at = (long) ARG_CMP_SIZE * i;
                    args.putInt(at, c.arg());
                    args.putInt(at + 4, c.op().value);
                    args.putLong(at + 8, c.datumA());
                    args.putLong(at + 16, c.datumB());
                }
            }
            check(lib.seccomp_rule_add_array(ctx(), action, syscall, conditions.size(), args),
                    "seccomp_rule_add_array");
        }

        @Override
        public byte[] exportBpf() throws NativeException {
            // libseccomp 2.5 can only write the program to an fd; 2.6's seccomp_export_bpf_mem is not in Debian 12
            int fd = kernel.memfd_create("jrun-seccomp", MFD_CLOEXEC);
            if (fd < 0) {
                throw new NativeException("memfd_create", kernelRuntime.getLastError());
            }
            try {
                check(lib.seccomp_export_bpf(ctx(), fd), "seccomp_export_bpf");
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                long offset = 0;
                while (true) {
                    long n = kernel.pread(fd, buf, buf.length, offset);
                    if (n < 0) {
                        int errno = kernelRuntime.getLastError();
                        if (errno == Errno.EINTR) {
                            continue;
                        }
                        throw new NativeException("read the exported seccomp filter", errno);
                    }
                    if (n == 0) {
                        return out.toByteArray();
                    }
                    out.write(buf, 0, (int) n);
                    offset += n;
                }
            } finally {
                kernel.close(fd);
            }
        }

        @Override
        public void close() {
            if (ctx != null) {
                lib.seccomp_release(ctx);
                ctx = null;
            }
        }
    }
}
