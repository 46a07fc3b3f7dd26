package dev.jrun.runtime.seccomp;

import dev.jrun.runtime.linux.LibSeccomp;
import dev.jrun.runtime.linux.LibSeccomp.Attribute;
import dev.jrun.runtime.linux.LibSeccomp.Condition;
import dev.jrun.runtime.linux.LibraryMissingException;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.plan.PlanContext;
import dev.jrun.runtime.seccomp.SeccompTables.Kind;
import dev.jrun.spec.model.LinuxSeccomp;
import dev.jrun.spec.model.LinuxSeccompArg;
import dev.jrun.spec.model.LinuxSyscall;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code linux.seccomp} to the BPF program jrun-init loads, with runc's semantics:
 *
 * <ul>
 *   <li>the native architecture is always in the filter, the listed ones are added to it;
 *   <li>SCMP_ACT_KILL is KILL_THREAD; ERRNO and TRACE take errnoRet (defaultErrnoRet for the
 *       default action), EPERM when absent;
 *   <li>a rule whose action equals the default action is skipped (libseccomp refuses it);
 *   <li>a syscall name libseccomp does not know is skipped with a warning;
 *   <li>a rule's conditions are ANDed in one libseccomp rule, unless two of them test the same
 *       argument: then each condition becomes a rule of its own, so they are ORed;
 *   <li>flags: absent means SPEC_ALLOW when the kernel has it; each listed flag must be
 *       supported by the kernel; NEW_LISTENER is added when any rule uses SCMP_ACT_NOTIFY;
 *   <li>a deny-by-default profile gets the {@link EnosysStub} in front of it.
 * </ul>
 */
public final class SeccompCompiler {
    /** Past this many rules, libseccomp's binary-tree layout is shorter to run (runc's threshold). */
    private static final int OPTIMIZE_ABOVE = 32;
    private static final int MAX_ERRNO = 4095;
    /** Syscalls jrun-init makes while the parent is still waiting for the listener fd. */

    /**
     * The compiled filter, and the warnings to show (syscalls skipped as unknown).
     *
     * @param program what the executor loads, with its seccomp(2) flags
     */
    public record Result(PlanContext.SeccompProgram program, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private final LinuxSeccomp seccomp;
    private final LibSeccomp lib;

    private SeccompCompiler(LinuxSeccomp seccomp, LibSeccomp lib) {
        this.seccomp = seccomp;
        this.lib = lib;
    }

    /** Whether this section installs a filter at all: runc installs none without a default action and rules. */
    public static boolean installsFilter(LinuxSeccomp s) {
        return s != null && !((s.defaultAction() == null || s.defaultAction().isEmpty())
                && (s.syscalls() == null || s.syscalls().isEmpty()));
    }

    /** Compiles with the host's libseccomp; null when the section installs no filter. */
    public static Result compile(LinuxSeccomp seccomp) throws SeccompException {
        if (!installsFilter(seccomp)) {
            return null;
        }
        LibSeccomp lib;
        try {
            lib = LibSeccomp.get();
        } catch (LibraryMissingException e) {
            throw new SeccompException(e.getMessage(), e);
        }
        return compile(seccomp, lib);
    }

    /** Compiles with this libseccomp; null when the section installs no filter. */
    public static Result compile(LinuxSeccomp seccomp, LibSeccomp lib) throws SeccompException {
        if (!installsFilter(seccomp)) {
            return null;
        }
        try {
            return new SeccompCompiler(seccomp, lib).run();
        } catch (NativeException e) {
            throw new SeccompException("seccomp: " + e.getMessage(), e);
        }
    }

    /** One rule for one syscall name, after runc's splitting of names. */
    private record Rule(String name, String actionName, Kind kind, int action, List<LinuxSeccompArg> args) {
    }

    private Result run() throws SeccompException, NativeException {
        Kind defaultKind = kind(seccomp.defaultAction(), "defaultAction");
        if (defaultKind == Kind.NOTIFY) {
            throw new SeccompException("SCMP_ACT_NOTIFY cannot be used as default action");
        }
        int defaultAction = action(defaultKind, seccomp.defaultErrnoRet(), seccomp.defaultAction(), "defaultErrnoRet");
        List<Rule> rules = rules();

        Set<Kind> used = new LinkedHashSet<>();
        used.add(defaultKind);
        boolean listener = false;
        for (Rule r : rules) {
            used.add(r.kind());
            if (r.kind() == Kind.NOTIFY) {
                listener = true;
                // jrun-init writes the listener's number to jrun: a trapped write would never return
                if (r.name().equals("write")) {
                    throw new SeccompException("SCMP_ACT_NOTIFY cannot be used for the write syscall");
                }
            }
        }
        if (listener && (seccomp.listenerPath() == null || seccomp.listenerPath().isEmpty())) {
            throw new SeccompException("seccomp: SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath");
        }
        for (Kind k : used) {
            if (SeccompTables.needsKernelCheck(k) && !lib.kernelHasAction(k.base)) {
                throw new SeccompException("seccomp: this kernel does not support " + actionName(k));
            }
        }
        long flags = flags(listener);

        List<Integer> archs = architectures();
        byte[] exported;
        List<String> unknown = new ArrayList<>();
        try (LibSeccomp.Filter filter = lib.newFilter(defaultAction)) {
            for (int arch : archs) {
                filter.addArch(arch);
            }
            // jrun-init sets no_new_privs itself, as the config says; the exported program is all we use
            filter.setAttribute(Attribute.CTL_NNP, 0);
            if ((flags & LibSeccomp.FLAG_LOG) != 0) {
                filter.setAttribute(Attribute.CTL_LOG, 1);
            }
            if ((flags & LibSeccomp.FLAG_SPEC_ALLOW) != 0) {
                filter.setAttribute(Attribute.CTL_SSB, 1);
            }
            List<Rule> toAdd = new ArrayList<>();
            List<Integer> numbers = new ArrayList<>();
            for (Rule r : rules) {
                if (r.action() == defaultAction) {
                    continue; // redundant, and libseccomp refuses it
                }
                int nr = lib.resolveSyscall(LibSeccomp.ARCH_NATIVE, r.name());
                if (nr == LibSeccomp.NR_UNKNOWN) {
                    if (!unknown.contains(r.name())) {
                        unknown.add(r.name());
                    }
                    continue;
                }
                toAdd.add(r);
                numbers.add(nr);
            }
            if (toAdd.size() > OPTIMIZE_ABOVE) {
                try {
                    filter.setAttribute(Attribute.CTL_OPTIMIZE, 2);
                } catch (NativeException e) {
                    // an older libseccomp: the default layout is correct, only longer
                }
            }
            for (int i = 0; i < toAdd.size(); i++) {
                addRule(filter, toAdd.get(i), numbers.get(i));
            }
            exported = filter.exportBpf();
        }

        List<Insn> program = new ArrayList<>();
        if (needsEnosysStub(defaultKind, defaultAction)) {
            program.addAll(EnosysStub.generate(limits(archs, rules)));
        }
        program.addAll(Insn.decode(exported));
        String problem = Insn.check(program);
        if (problem != null) {
            throw new SeccompException("seccomp: the filter cannot be loaded: " + problem);
        }
        List<String> warnings = new ArrayList<>();
        if (!unknown.isEmpty()) {
            warnings.add("seccomp: rules for syscalls libseccomp " + lib.version() + " does not know were skipped: "
                    + String.join(", ", unknown));
        }
        return new Result(new PlanContext.SeccompProgram(Insn.encode(program), flags, listener), warnings);
    }

    private List<Rule> rules() throws SeccompException {
        List<Rule> rules = new ArrayList<>();
        List<LinuxSyscall> syscalls = seccomp.syscalls() == null ? List.of() : seccomp.syscalls();
        for (int i = 0; i < syscalls.size(); i++) {
            LinuxSyscall sc = syscalls.get(i);
            String at = "syscalls[" + i + "]";
            Kind kind = kind(sc.action(), at + ".action");
            int action = action(kind, sc.errnoRet(), sc.action(), at + ".errnoRet");
            if (sc.names() == null || sc.names().isEmpty()) {
                throw new SeccompException("seccomp: " + at + " names no syscall");
            }
            List<LinuxSeccompArg> args = sc.args() == null ? List.of() : sc.args();
            for (LinuxSeccompArg a : args) {
                long index = a.index() == null ? 0 : a.index();
                if (index < 0 || index > 5) {
                    throw new SeccompException("seccomp: " + at + ": argument index " + index + " is not 0 to 5");
                }
                if (a.op() == null || !SeccompTables.OPERATORS.containsKey(a.op())) {
                    throw new SeccompException("seccomp: " + at + ": unknown operator \"" + a.op() + "\"");
                }
            }
            for (String name : sc.names()) {
                if (name == null || name.isEmpty()) {
                    throw new SeccompException("seccomp: " + at + " has an empty syscall name");
                }
                rules.add(new Rule(name, sc.action(), kind, action, args));
            }
        }
        return rules;
    }

    /** Conditions on distinct arguments make one rule (AND); two on the same argument make one rule each (OR). */
    private static void addRule(LibSeccomp.Filter filter, Rule r, int nr) throws SeccompException {
        List<Condition> conditions = new ArrayList<>();
        boolean[] seen = new boolean[6];
        boolean repeated = false;
        for (LinuxSeccompArg a : r.args()) {
            int index = a.index() == null ? 0 : (int) (long) a.index();
            repeated |= seen[index];
            seen[index] = true;
            conditions.add(new Condition(index, SeccompTables.OPERATORS.get(a.op()), value(a.value()), value(a.valueTwo())));
        }
        try {
            if (repeated) {
                for (Condition c : conditions) {
                    filter.addRule(r.action(), nr, List.of(c));
                }
            } else {
                filter.addRule(r.action(), nr, conditions);
            }
        } catch (NativeException e) {
            throw new SeccompException("seccomp: add the " + r.actionName() + " rule for " + r.name() + ": "
                    + e.getMessage(), e);
        }
    }

    private static long value(Long v) {
        return v == null ? 0 : v;
    }

    /** The listed architectures as libseccomp tokens, the native one first (seccomp_init adds it). */
    private List<Integer> architectures() throws SeccompException {
        List<Integer> tokens = new ArrayList<>();
        tokens.add(lib.nativeArch());
        for (String name : seccomp.architectures() == null ? List.<String>of() : seccomp.architectures()) {
            String lsName = SeccompTables.libseccompArchName(name);
            if (lsName == null || !SeccompTables.ARCHITECTURES.contains(name)) {
                throw new SeccompException("seccomp: unknown architecture \"" + name + "\"");
            }
            int token = lib.resolveArch(lsName);
            if (token == 0) {
                throw new SeccompException("seccomp: architecture " + name + " is not supported by libseccomp "
                        + lib.version());
            }
            if (!tokens.contains(token)) {
                tokens.add(token);
            }
        }
        return tokens;
    }

    /** The seccomp(2) flags: the listed ones, each checked against the kernel, plus NEW_LISTENER. */
    private long flags(boolean listener) throws SeccompException {
        long flags = 0;
        List<String> names = seccomp.flags();
        if (names == null) {
            // runc: no flags at all (not even an empty list) means SPEC_ALLOW where available
            if (lib.kernelHasFlags(LibSeccomp.FLAG_SPEC_ALLOW)) {
                flags |= LibSeccomp.FLAG_SPEC_ALLOW;
            }
        } else {
            for (String name : names) {
                Long bit = SeccompTables.FLAGS.get(name);
                if (bit == null) {
                    throw new SeccompException("seccomp: unknown flag \"" + name + "\"");
                }
                // the kernel takes WAIT_KILLABLE_RECV only together with NEW_LISTENER
                long probe = bit == LibSeccomp.FLAG_WAIT_KILLABLE_RECV ? bit | LibSeccomp.FLAG_NEW_LISTENER : bit;
                if (!lib.kernelHasFlags(probe)) {
                    throw new SeccompException("seccomp: this kernel does not support the flag " + name);
                }
                flags |= bit;
            }
        }
        if (listener) {
            flags |= LibSeccomp.FLAG_NEW_LISTENER;
            if ((flags & LibSeccomp.FLAG_TSYNC) != 0) {
                // TSYNC with a listener needs TSYNC_ESRCH; jrun-init has one thread, so TSYNC can go instead
                long withEsrch = flags | LibSeccomp.FLAG_TSYNC_ESRCH;
                flags = lib.kernelHasFlags(withEsrch) ? withEsrch : flags & ~LibSeccomp.FLAG_TSYNC;
            }
        } else {
            // meaningless without a listener, and refused by the kernel (libseccomp drops it too)
            flags &= ~LibSeccomp.FLAG_WAIT_KILLABLE_RECV;
        }
        if (flags != 0 && !lib.kernelHasFlags(flags)) {
            throw new SeccompException("seccomp: this kernel refuses the filter flags 0x" + Long.toHexString(flags));
        }
        return flags;
    }

    /** runc's rule: only a profile that denies by default gets the stub, and not one whose default is ENOSYS. */
    static boolean needsEnosysStub(Kind defaultKind, int defaultAction) {
        return switch (defaultKind) {
            case ALLOW, LOG, TRACE -> false;
            default -> defaultAction != LibSeccomp.errnoAction(EnosysStub.ENOSYS);
        };
    }

    /** Per architecture, the highest syscall number the profile names, and clone3 if it names it nowhere. */
    private List<EnosysStub.Limit> limits(List<Integer> archs, List<Rule> rules) {
        boolean namesClone3 = rules.stream().anyMatch(r -> r.name().equals("clone3"));
        List<EnosysStub.Limit> limits = new ArrayList<>();
        for (int arch : archs) {
            int max = -1;
            for (Rule r : rules) {
                int nr = lib.resolveSyscall(arch, r.name());
                if (nr >= 0 && nr > max) {
                    max = nr;
                }
            }
            if (max < 0) {
                continue; // nothing named for it: libseccomp's filter decides everything there
            }
            int clone3 = namesClone3 ? -1 : lib.resolveSyscall(arch, "clone3");
            limits.add(new EnosysStub.Limit(arch, max, clone3 < 0 ? -1 : clone3));
        }
        return limits;
    }

    private static Kind kind(String name, String field) throws SeccompException {
        Kind kind = name == null ? null : SeccompTables.ACTIONS.get(name);
        if (kind == null) {
            throw new SeccompException("seccomp: " + field + ": unknown action \"" + name + "\"");
        }
        return kind;
    }

    private static int action(Kind kind, Long data, String actionName, String field) throws SeccompException {
        if (data != null) {
            if (!kind.takesData()) {
                throw new SeccompException("seccomp: " + field + ": " + actionName + " takes no errno");
            }
            long max = kind == Kind.ERRNO ? MAX_ERRNO : 0xffff;
            if (data < 0 || data > max) {
                throw new SeccompException("seccomp: " + field + ": " + data + " is out of range (0 to " + max + ")");
            }
        }
        return SeccompTables.action(kind, data);
    }

    private static String actionName(Kind k) {
        for (var e : SeccompTables.ACTIONS.entrySet()) {
            if (e.getValue() == k) {
                return e.getKey();
            }
        }
        return k.name();
    }
}
