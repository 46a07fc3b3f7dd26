package dev.jrun.spec.linux;

import java.util.List;

/**
 * The names config.json uses for seccomp, as libseccomp spells them: validation checks a
 * config against these lists, and the runtime's filter compiler maps exactly these names (a
 * test holds the two to each other), so `features` never lists a name create would refuse.
 */
public final class SeccompNames {
    /** SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD, as in libseccomp. */
    public static final List<String> ACTIONS = List.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
            "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",
            "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY");

    public static final List<String> OPERATORS = List.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",
            "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");

    /** Every SCMP_ARCH_* name the runtime-spec lists; the loaded libseccomp decides which it knows. */
    public static final List<String> ARCHITECTURES = List.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
            "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
            "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
            "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
            "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");

    /** SECCOMP_FILTER_FLAG_* names. */
    public static final List<String> FLAGS = List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");

    public static final String NOTIFY = "SCMP_ACT_NOTIFY";

    private SeccompNames() {
    }
}
