package dev.jrun.runtime.seccomp;

import dev.jrun.runtime.linux.LibSeccomp;
import dev.jrun.runtime.linux.LibSeccomp.Operator;
import dev.jrun.spec.linux.SeccompNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What each seccomp name of config.json ({@link SeccompNames}, the one list validation also
 * reads) means to libseccomp and the kernel.  The compiler and `jrun features` both read these
 * tables, so features never lists a name create would refuse.
 */
public final class SeccompTables {
    /** How an action name becomes a libseccomp action. */
    public enum Kind {
        KILL_THREAD(LibSeccomp.ACT_KILL_THREAD),
        KILL_PROCESS(LibSeccomp.ACT_KILL_PROCESS),
        TRAP(LibSeccomp.ACT_TRAP),
        ERRNO(LibSeccomp.ACT_ERRNO),
        TRACE(LibSeccomp.ACT_TRACE),
        ALLOW(LibSeccomp.ACT_ALLOW),
        LOG(LibSeccomp.ACT_LOG),
        NOTIFY(LibSeccomp.ACT_NOTIFY);

        /** The action value, without data. */
        public final int base;

        Kind(int base) {
            this.base = base;
        }

        /** Whether errnoRet / defaultErrnoRet means something for this action. */
        public boolean takesData() {
            return this == ERRNO || this == TRACE;
        }
    }

    /** SCMP_ACT_* name to its action; SCMP_ACT_KILL is KILL_THREAD, as in libseccomp. */
    public static final Map<String, Kind> ACTIONS = ordered(
            "SCMP_ACT_KILL", Kind.KILL_THREAD,
            "SCMP_ACT_KILL_PROCESS", Kind.KILL_PROCESS,
            "SCMP_ACT_KILL_THREAD", Kind.KILL_THREAD,
            "SCMP_ACT_TRAP", Kind.TRAP,
            "SCMP_ACT_ERRNO", Kind.ERRNO,
            "SCMP_ACT_TRACE", Kind.TRACE,
            "SCMP_ACT_ALLOW", Kind.ALLOW,
            "SCMP_ACT_LOG", Kind.LOG,
            "SCMP_ACT_NOTIFY", Kind.NOTIFY);

    public static final Map<String, Operator> OPERATORS = ordered(
            "SCMP_CMP_NE", Operator.NE,
            "SCMP_CMP_LT", Operator.LT,
            "SCMP_CMP_LE", Operator.LE,
            "SCMP_CMP_EQ", Operator.EQ,
            "SCMP_CMP_GE", Operator.GE,
            "SCMP_CMP_GT", Operator.GT,
            "SCMP_CMP_MASKED_EQ", Operator.MASKED_EQ);

    /** Every SCMP_ARCH_* name the runtime-spec lists ({@link #libseccompArchName} maps them). */
    public static final List<String> ARCHITECTURES = SeccompNames.ARCHITECTURES;

    /** SECCOMP_FILTER_FLAG_* names config.json may use, and their seccomp(2) bits. */
    public static final Map<String, Long> FLAGS = ordered(
            "SECCOMP_FILTER_FLAG_TSYNC", LibSeccomp.FLAG_TSYNC,
            "SECCOMP_FILTER_FLAG_LOG", LibSeccomp.FLAG_LOG,
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", LibSeccomp.FLAG_SPEC_ALLOW,
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", LibSeccomp.FLAG_WAIT_KILLABLE_RECV);

    /** The kernel's AUDIT_ARCH_X86_64; libseccomp's x32 token differs but x32 syscalls carry it. */
    static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    /** SCMP_ARCH_X32: EM_X86_64 | __AUDIT_ARCH_LE. */
    static final int SCMP_ARCH_X32 = 0x4000003e;
    static final int AUDIT_ARCH_S390 = 0x00000016;
    static final int AUDIT_ARCH_S390X = 0x80000016;

    private SeccompTables() {
    }

    /** "SCMP_ARCH_X86_64" to "x86_64", the name seccomp_arch_resolve_name takes; null if not SCMP_ARCH_*. */
    public static String libseccompArchName(String ociName) {
        if (ociName == null || !ociName.startsWith("SCMP_ARCH_")) {
            return null;
        }
        return ociName.substring("SCMP_ARCH_".length()).toLowerCase(Locale.ROOT);
    }

    /**
     * The AUDIT_ARCH_* value a filter sees in seccomp_data.arch for this libseccomp token: the
     * token itself for every architecture but x32, whose syscalls arrive as x86_64 ones with
     * bit 30 set in the number.
     */
    static int auditArch(int token) {
        return token == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : token;
    }

    /** The action value for a kind and its errnoRet; ERRNO without one is EPERM, TRACE without one EPERM as runc. */
    static int action(Kind kind, Long data) {
        int value = data == null ? 1 /* EPERM */ : (int) (long) data;
        return switch (kind) {
            case ERRNO -> LibSeccomp.errnoAction(value);
            case TRACE -> LibSeccomp.traceAction(value);
            default -> kind.base;
        };
    }

    /** Actions whose availability depends on the kernel version. */
    static boolean needsKernelCheck(Kind kind) {
        return kind == Kind.KILL_PROCESS || kind == Kind.LOG || kind == Kind.NOTIFY;
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> ordered(Object... pairs) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (V) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
