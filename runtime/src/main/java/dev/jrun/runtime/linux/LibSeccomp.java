package dev.jrun.runtime.linux;

import java.util.List;

/**
 * libseccomp (Debian's {@code libseccomp2}) as the seccomp compiler sees it, plus the two kernel
 * probes it needs.  {@link #get()} loads the library on first use, so commands that compile no
 * filter never load it; tests hand the compiler a fake instead.
 *
 * <p>Numbers follow libseccomp's conventions: an architecture is an {@code SCMP_ARCH_*} token
 * (the kernel's {@code AUDIT_ARCH_*} value, except x32), 0 meaning the native one; an action is
 * the kernel's {@code SECCOMP_RET_*} value with its data in the low 16 bits.
 */
public interface LibSeccomp {
    /** The shared object, as Debian's libseccomp2 installs it (the unversioned name comes with -dev only). */
    String LIBRARY = "libseccomp.so.2";
    /** The Debian package that provides {@link #LIBRARY}. */
    String PACKAGE = "libseccomp2";

    int ACT_KILL_PROCESS = 0x80000000;
    int ACT_KILL_THREAD = 0x00000000;
    int ACT_TRAP = 0x00030000;
    int ACT_ERRNO = 0x00050000;
    int ACT_NOTIFY = 0x7fc00000;
    int ACT_TRACE = 0x7ff00000;
    int ACT_LOG = 0x7ffc0000;
    int ACT_ALLOW = 0x7fff0000;

    /** SECCOMP_FILTER_FLAG_* of seccomp(2). */
    long FLAG_TSYNC = 1;
    long FLAG_LOG = 1 << 1;
    long FLAG_SPEC_ALLOW = 1 << 2;
    long FLAG_NEW_LISTENER = 1 << 3;
    long FLAG_TSYNC_ESRCH = 1 << 4;
    long FLAG_WAIT_KILLABLE_RECV = 1 << 5;

    /** SCMP_ARCH_NATIVE. */
    int ARCH_NATIVE = 0;
    /** What the syscall resolvers return for a name they do not know (__NR_SCMP_ERROR). */
    int NR_UNKNOWN = -1;

    /** {@code SCMP_ACT_ERRNO(errno)}. */
    static int errnoAction(int errno) {
        return ACT_ERRNO | (errno & 0xffff);
    }

    /** {@code SCMP_ACT_TRACE(value)}. */
    static int traceAction(int value) {
        return ACT_TRACE | (value & 0xffff);
    }

    /** enum scmp_filter_attr. */
    enum Attribute {
        ACT_DEFAULT(1), ACT_BADARCH(2), CTL_NNP(3), CTL_TSYNC(4), API_TSKIP(5), CTL_LOG(6), CTL_SSB(7),
        CTL_OPTIMIZE(8), API_SYSRAWRC(9);

        public final int value;

        Attribute(int value) {
            this.value = value;
        }
    }

    /** enum scmp_compare. */
    enum Operator {
        NE(1), LT(2), LE(3), EQ(4), GE(5), GT(6), MASKED_EQ(7);

        public final int value;

        Operator(int value) {
            this.value = value;
        }
    }

    /**
     * struct scmp_arg_cmp: argument {@code arg} compared by {@code op}; for MASKED_EQ,
     * {@code (arg & datumA) == datumB}.
     */
    record Condition(int arg, Operator op, long datumA, long datumB) {
    }

    /** One filter context (scmp_filter_ctx); closing it releases it. */
    interface Filter extends AutoCloseable {
        /** seccomp_arch_add; an architecture already in the filter is not an error. */
        void addArch(int arch) throws NativeException;

        void removeArch(int arch) throws NativeException;

        void setAttribute(Attribute attribute, int value) throws NativeException;

        int getAttribute(Attribute attribute) throws NativeException;

        /** seccomp_rule_add_array: all conditions must hold (AND); none = unconditional. */
        void addRule(int action, int syscall, List<Condition> conditions) throws NativeException;

        /** seccomp_export_bpf: the filter as struct sock_filter[] in the machine's byte order. */
        byte[] exportBpf() throws NativeException;

        @Override
        void close();
    }

    /** "major.minor.micro" of the loaded library. */
    String version();

    /** seccomp_api_get: what this library and kernel can do together (see seccomp_api_get(3)). */
    int apiLevel();

    /** seccomp_api_set. */
    void setApiLevel(int level) throws NativeException;

    /** seccomp_arch_native. */
    int nativeArch();

    /** seccomp_arch_resolve_name, with libseccomp's names ("x86_64", "aarch64"); 0 when unknown. */
    int resolveArch(String name);

    /**
     * seccomp_syscall_resolve_name_arch ({@link #ARCH_NATIVE}: seccomp_syscall_resolve_name):
     * the number, a negative pseudo number for a syscall this architecture lacks, or
     * {@link #NR_UNKNOWN}.
     */
    int resolveSyscall(int arch, String name);

    /** seccomp_init. */
    Filter newFilter(int defaultAction) throws NativeException;

    /** Whether the running kernel knows this action (seccomp(SECCOMP_GET_ACTION_AVAIL)). */
    boolean kernelHasAction(int action);

    /**
     * Whether the running kernel accepts these SECCOMP_FILTER_FLAG_* bits together (seccomp(2)
     * with a NULL program fails with EFAULT past the flag check, and loads nothing).
     */
    boolean kernelHasFlags(long flags);

    /** The library, loaded on first use. */
    static LibSeccomp get() throws LibraryMissingException {
        return NativeLibSeccomp.instance();
    }
}
