package dev.jrun.runtime.seccomp;

import dev.jrun.runtime.linux.Errno;
import dev.jrun.runtime.linux.LibSeccomp;
import dev.jrun.runtime.linux.NativeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * libseccomp as a recorder: each call that changes a filter is written down as one line, and
 * the exported "program" is a single {@code ret} of the default action, so a test can follow
 * both what was asked of libseccomp and what the stub in front of it does.
 */
final class FakeLibSeccomp implements LibSeccomp {
    static final int X86_64 = 0xc000003e;
    static final int X86 = 0x40000003;
    static final int X32 = 0x4000003e;
    static final int AARCH64 = 0xc00000b7;
    static final int S390X = 0x80000016;

    /** A few syscalls of x86_64 (x32 uses the same numbers with bit 30), i386 and s390x. */
    static final Map<String, Integer> X86_64_CALLS = Map.ofEntries(Map.entry("read", 0), Map.entry("write", 1),
            Map.entry("getpid", 39), Map.entry("socket", 41), Map.entry("clone", 56), Map.entry("mkdir", 83),
            Map.entry("getppid", 110), Map.entry("setresuid", 117), Map.entry("capset", 126),
            Map.entry("personality", 135), Map.entry("clone3", 435), Map.entry("sendmsg", 46),
            Map.entry("pidfd_getfd", 438),
            Map.entry("close", 3));
    static final Map<String, Integer> X86_CALLS = Map.ofEntries(Map.entry("read", 3), Map.entry("write", 4),
            Map.entry("getpid", 20), Map.entry("socket", 359), Map.entry("clone", 120), Map.entry("mkdir", 39),
            Map.entry("getppid", 64), Map.entry("setresuid", 164), Map.entry("capset", 185),
            Map.entry("personality", 136), Map.entry("clone3", 435), Map.entry("close", 6),
            Map.entry("pidfd_getfd", 438));
    static final Map<String, Integer> S390X_CALLS = Map.of("read", 3, "getpid", 20, "clone", 120, "mkdir", 39,
            "clone3", 435);

    final List<String> calls = new ArrayList<>();
    int nativeArch = X86_64;
    final Set<Integer> kernelActions = new HashSet<>(Set.of(ACT_KILL_PROCESS, ACT_LOG, ACT_NOTIFY));
    /** Flag bits the kernel accepts; TSYNC_ESRCH and WAIT_KILLABLE_RECV need NEW_LISTENER with them here as in Linux. */
    long kernelFlags = FLAG_TSYNC | FLAG_LOG | FLAG_SPEC_ALLOW | FLAG_NEW_LISTENER | FLAG_TSYNC_ESRCH
            | FLAG_WAIT_KILLABLE_RECV;
    int apiLevel = 6;
    private int defaultAction;

    @Override
    public String version() {
        return "2.5.4";
    }

    @Override
    public int apiLevel() {
        return apiLevel;
    }

    @Override
    public void setApiLevel(int level) {
        calls.add("api_set " + level);
        apiLevel = level;
    }

    @Override
    public int nativeArch() {
        return nativeArch;
    }

    @Override
    public int resolveArch(String name) {
        return switch (name) {
            case "x86_64" -> X86_64;
            case "x86" -> X86;
            case "x32" -> X32;
            case "aarch64" -> AARCH64;
            case "s390x" -> S390X;
            default -> 0;
        };
    }

    @Override
    public int resolveSyscall(int arch, String name) {
        int a = arch == ARCH_NATIVE ? nativeArch : arch;
        Integer nr = switch (a) {
            case X86_64 -> X86_64_CALLS.get(name);
            case X32 -> X86_64_CALLS.containsKey(name) ? X86_64_CALLS.get(name) | 0x40000000 : null;
            case X86 -> X86_CALLS.get(name);
            case S390X -> S390X_CALLS.get(name);
            default -> null;
        };
        if (nr == null) {
            // a name some other architecture knows gets a pseudo number, as in libseccomp
            boolean known = X86_64_CALLS.containsKey(name) || X86_CALLS.containsKey(name);
            return known ? -10100 : NR_UNKNOWN;
        }
        return nr;
    }

    @Override
    public Filter newFilter(int action) {
        defaultAction = action;
        calls.add("init " + hex(action));
        return new Filter() {
            @Override
            public void addArch(int arch) {
                calls.add("arch_add " + hex(arch));
            }

            @Override
            public void removeArch(int arch) {
                calls.add("arch_remove " + hex(arch));
            }

            @Override
            public void setAttribute(Attribute attribute, int value) {
                calls.add("attr " + attribute + " " + value);
            }

            @Override
            public int getAttribute(Attribute attribute) {
                return 0;
            }

            @Override
            public void addRule(int ruleAction, int syscall, List<Condition> conditions) throws NativeException {
                if (ruleAction == defaultAction) {
                    throw new NativeException("seccomp_rule_add_array", Errno.EACCES);
                }
                calls.add("rule " + hex(ruleAction) + " " + syscall
                        + conditions.stream().map(c -> " [" + c.arg() + " " + c.op() + " " + c.datumA()
                                + (c.datumB() != 0 ? " " + c.datumB() : "") + "]").collect(Collectors.joining()));
            }

            @Override
            public byte[] exportBpf() {
                calls.add("export");
                return Insn.encode(List.of(Insn.ret(defaultAction)));
            }

            @Override
            public void close() {
                calls.add("release");
            }
        };
    }

    @Override
    public boolean kernelHasAction(int action) {
        return kernelActions.contains(action);
    }

    @Override
    public boolean kernelHasFlags(long flags) {
        if ((flags & ~kernelFlags) != 0) {
            return false;
        }
        if ((flags & FLAG_WAIT_KILLABLE_RECV) != 0 && (flags & FLAG_NEW_LISTENER) == 0) {
            return false;
        }
        return (flags & (FLAG_TSYNC | FLAG_NEW_LISTENER)) != (FLAG_TSYNC | FLAG_NEW_LISTENER)
                || (flags & FLAG_TSYNC_ESRCH) != 0;
    }

    static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }
}
