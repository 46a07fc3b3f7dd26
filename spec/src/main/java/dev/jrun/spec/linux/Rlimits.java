package dev.jrun.spec.linux;

import java.util.List;

/**
 * Resource limit names (getrlimit(2)) and their numbers. The numbers are those of
 * asm-generic/resource.h, used by x86, arm, arm64, riscv, s390, ppc and loongarch; alpha, mips
 * and sparc number five of them differently and are not supported.
 */
public final class Rlimits {
    // Index = resource number.
    private static final String[] NAMES = {
        "RLIMIT_CPU",
        "RLIMIT_FSIZE",
        "RLIMIT_DATA",
        "RLIMIT_STACK",
        "RLIMIT_CORE",
        "RLIMIT_RSS",
        "RLIMIT_NPROC",
        "RLIMIT_NOFILE",
        "RLIMIT_MEMLOCK",
        "RLIMIT_AS",
        "RLIMIT_LOCKS",
        "RLIMIT_SIGPENDING",
        "RLIMIT_MSGQUEUE",
        "RLIMIT_NICE",
        "RLIMIT_RTPRIO",
        "RLIMIT_RTTIME",
    };

    /** RLIM_INFINITY, as the unsigned 64-bit value of the spec's {@code hard}/{@code soft}. */
    public static final long INFINITY = -1L;

    private Rlimits() {}

    /** The resource number of a name such as {@code RLIMIT_NOFILE}, or -1 if unknown. */
    public static int number(String name) {
        if (name != null) {
            for (int i = 0; i < NAMES.length; i++) {
                if (NAMES[i].equals(name)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The name of resource {@code number}, or {@code null}. */
    public static String name(int number) {
        return number >= 0 && number < NAMES.length ? NAMES[number] : null;
    }

    /** Every known name, in number order. */
    public static List<String> all() {
        return List.of(NAMES);
    }
}
