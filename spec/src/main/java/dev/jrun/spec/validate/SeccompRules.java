package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.Checks.isEmpty;
import static dev.jrun.spec.validate.Checks.oneOf;
import static dev.jrun.spec.validate.Checks.quote;
import static dev.jrun.spec.validate.JsonPath.field;
import static dev.jrun.spec.validate.JsonPath.index;

import dev.jrun.spec.model.LinuxSeccomp;
import dev.jrun.spec.model.LinuxSeccompArg;
import dev.jrun.spec.model.LinuxSyscall;
import java.util.List;

/** {@code linux.seccomp}: names as libseccomp spells them, plus runc's extra restrictions. */
final class SeccompRules {
    static final String[] ACTIONS = {
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
        "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    };
    static final String[] OPERATORS = {
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
        "SCMP_CMP_MASKED_EQ",
    };
    static final String[] ARCHITECTURES = {
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
        "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
        "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC",
        "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
        "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    };
    static final String[] FLAGS = {
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    };
    private static final String NOTIFY = "SCMP_ACT_NOTIFY";
    private static final String AT = field(Json.Spec.linux, Json.Linux.seccomp);

    private final Findings f;

    SeccompRules(Findings f) {
        this.f = f;
    }

    void check(LinuxSeccomp s) {
        List<LinuxSyscall> syscalls = s.syscalls();
        if (isEmpty(s.defaultAction())) {
            if (isEmpty(syscalls)) {
                // runc's reading of this case, kept for compatibility.
                f.warn(AT, "no defaultAction and no syscalls: no seccomp filter is installed");
                return;
            }
            f.error(field(AT, Json.LinuxSeccomp.defaultAction), "must be set");
        } else {
            action(s.defaultAction(), s.defaultErrnoRet(), field(AT, Json.LinuxSeccomp.defaultAction),
                    field(AT, Json.LinuxSeccomp.defaultErrnoRet));
            if (NOTIFY.equals(s.defaultAction())) {
                f.error(field(AT, Json.LinuxSeccomp.defaultAction), "SCMP_ACT_NOTIFY cannot be the default action");
            }
        }
        names(s.architectures(), ARCHITECTURES, "architecture", field(AT, Json.LinuxSeccomp.architectures));
        names(s.flags(), FLAGS, "flag", field(AT, Json.LinuxSeccomp.flags));

        boolean notify = NOTIFY.equals(s.defaultAction());
        if (syscalls != null) {
            for (int i = 0; i < syscalls.size(); i++) {
                notify |= syscall(syscalls.get(i), index(field(AT, Json.LinuxSeccomp.syscalls), i));
            }
        }
        if (notify && isEmpty(s.listenerPath())) {
            f.error(field(AT, Json.LinuxSeccomp.listenerPath), "must be set when SCMP_ACT_NOTIFY is used");
        } else if (!notify && !isEmpty(s.listenerPath())) {
            f.warn(field(AT, Json.LinuxSeccomp.listenerPath), "ignored: no rule uses SCMP_ACT_NOTIFY");
        }
        if (!isEmpty(s.listenerMetadata()) && isEmpty(s.listenerPath())) {
            f.error(field(AT, Json.LinuxSeccomp.listenerMetadata), "must not be set without listenerPath");
        }
    }

    /** Checks one rule; returns whether it uses SCMP_ACT_NOTIFY. */
    private boolean syscall(LinuxSyscall sc, String at) {
        if (isEmpty(sc.names())) {
            f.error(field(at, Json.LinuxSyscall.names), "must contain at least one syscall name");
        } else {
            for (int j = 0; j < sc.names().size(); j++) {
                String name = sc.names().get(j);
                if (name.isEmpty()) {
                    f.error(index(field(at, Json.LinuxSyscall.names), j), "must not be empty");
                } else if (NOTIFY.equals(sc.action()) && name.equals("write")) {
                    // The agent would deadlock if the runtime's own write to it were trapped.
                    f.error(index(field(at, Json.LinuxSyscall.names), j),
                            "SCMP_ACT_NOTIFY cannot be used for \"write\"");
                }
            }
        }
        if (isEmpty(sc.action())) {
            f.error(field(at, Json.LinuxSyscall.action), "must be set");
        } else {
            action(sc.action(), sc.errnoRet(), field(at, Json.LinuxSyscall.action),
                    field(at, Json.LinuxSyscall.errnoRet));
        }
        if (sc.args() != null) {
            for (int k = 0; k < sc.args().size(); k++) {
                arg(sc.args().get(k), index(field(at, Json.LinuxSyscall.args), k));
            }
        }
        return NOTIFY.equals(sc.action());
    }

    private void action(String action, Long errno, String actionAt, String errnoAt) {
        if (!oneOf(action, ACTIONS)) {
            f.error(actionAt, "unknown action " + quote(action));
        } else if (errno != null && !action.equals("SCMP_ACT_ERRNO") && !action.equals("SCMP_ACT_TRACE")) {
            f.error(errnoAt, "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno");
        }
    }

    private void arg(LinuxSeccompArg a, String at) {
        long index = a.index() == null ? 0 : a.index();
        if (index < 0 || index > 5) {
            f.error(field(at, Json.LinuxSeccompArg.index), "must be between 0 and 5");
        }
        if (isEmpty(a.op())) {
            f.error(field(at, Json.LinuxSeccompArg.op), "must be set");
        } else if (!oneOf(a.op(), OPERATORS)) {
            f.error(field(at, Json.LinuxSeccompArg.op), "unknown operator " + quote(a.op()));
        }
    }

    private void names(List<String> values, String[] known, String what, String at) {
        if (values != null) {
            for (int i = 0; i < values.size(); i++) {
                if (!oneOf(values.get(i), known)) {
                    f.error(index(at, i), "unknown " + what + " " + quote(values.get(i)));
                }
            }
        }
    }
}
