package dev.jrun.runtime.seccomp;

import dev.jrun.runtime.linux.LibSeccomp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the filter libseccomp cannot write: a preamble that makes syscalls newer than the
 * profile return ENOSYS instead of the profile's default action.  A deny-by-default profile
 * written before a syscall existed would otherwise give it EPERM (or kill), and programs only
 * fall back to an older call on ENOSYS: glibc's clone3 falls back to clone, statx to stat.
 * runc prepends the same kind of check.
 *
 * <p>Per architecture the profile covers, a syscall number above the highest one any rule of
 * the profile names gets ENOSYS; everything else goes on to libseccomp's filter, which follows
 * the preamble unchanged (classic BPF jumps are relative and forward, so prepending moves
 * nothing).  clone3 also gets ENOSYS when the profile names it nowhere, so that glibc falls
 * back to clone under any default action.  On s390 syscall 0 carries numbers too large for
 * the instruction and stands for an unknown syscall, so it gets ENOSYS too.
 *
 * <pre>
 *       ld  [4]                     ; seccomp_data.arch
 *       jeq #ARCH1, arch1           ; one test per AUDIT_ARCH, in the order first met
 *       ja  filter
 * arch1:
 *       ld  [0]                     ; seccomp_data.nr
 *       (x86_64: jset #0x40000000, x32, -- x32 calls carry bit 30 and their own limit)
 *       (clone3 unnamed: jeq #CLONE3, enosys)
 *       jgt #MAX, enosys, filter
 * enosys:
 *       ret #ERRNO(ENOSYS)
 * filter:                           ; libseccomp's program
 * </pre>
 */
final class EnosysStub {
    static final int ENOSYS = 38;
    static final int X32_SYSCALL_BIT = 0x40000000;
    private static final String FILTER = "filter";
    private static final String ENOSYS_LABEL = "enosys";

    /**
     * What the stub knows of one libseccomp architecture.
     *
     * @param token the SCMP_ARCH_* token
     * @param maxSyscall the highest syscall number the profile names for it
     * @param clone3 clone3's number when it needs its own ENOSYS test, else -1
     */
    record Limit(int token, int maxSyscall, int clone3) {
    }

    private EnosysStub() {
    }

    /** The preamble for these limits; empty when there is nothing to check. */
    static List<Insn> generate(List<Limit> limits) {
        Map<Integer, List<Limit>> byAudit = new LinkedHashMap<>();
        for (Limit l : limits) {
            byAudit.computeIfAbsent(SeccompTables.auditArch(l.token()), a -> new ArrayList<>()).add(l);
        }
        if (byAudit.isEmpty()) {
            return List.of();
        }
        BpfAssembler asm = new BpfAssembler().loadWord(4);
        for (int audit : byAudit.keySet()) {
            asm.jeq(audit, section(audit), null);
        }
        asm.jump(FILTER);
        for (Map.Entry<Integer, List<Limit>> e : byAudit.entrySet()) {
            int audit = e.getKey();
            asm.label(section(audit)).loadWord(0);
            if (audit == SeccompTables.AUDIT_ARCH_S390 || audit == SeccompTables.AUDIT_ARCH_S390X) {
                asm.jeq(0, ENOSYS_LABEL, null);
            }
            if (audit == SeccompTables.AUDIT_ARCH_X86_64) {
                Limit x64 = null;
                Limit x32 = null;
                for (Limit l : e.getValue()) {
                    if (l.token() == SeccompTables.SCMP_ARCH_X32) {
                        x32 = l;
                    } else {
                        x64 = l;
                    }
                }
                String x32Label = section(audit) + ".x32";
                asm.jset(X32_SYSCALL_BIT, x32 == null ? FILTER : x32Label, null);
                if (x64 == null) {
                    asm.jump(FILTER);
                } else {
                    checks(asm, x64);
                }
                if (x32 != null) {
                    asm.label(x32Label);
                    checks(asm, x32);
                }
            } else {
                if (e.getValue().size() != 1) {
                    throw new IllegalStateException("two libseccomp architectures share AUDIT_ARCH 0x"
                            + Integer.toHexString(audit));
                }
                checks(asm, e.getValue().get(0));
            }
        }
        asm.label(ENOSYS_LABEL).ret(LibSeccomp.errnoAction(ENOSYS));
        asm.label(FILTER);
        return asm.assemble();
    }

    private static void checks(BpfAssembler asm, Limit l) {
        if (l.clone3() >= 0 && Integer.compareUnsigned(l.clone3(), l.maxSyscall()) <= 0) {
            asm.jeq(l.clone3(), ENOSYS_LABEL, null);
        }
        asm.jgt(l.maxSyscall(), ENOSYS_LABEL, FILTER);
    }

    private static String section(int audit) {
        return "arch." + Integer.toHexString(audit);
    }
}
