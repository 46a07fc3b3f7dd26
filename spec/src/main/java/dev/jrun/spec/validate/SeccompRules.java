package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.Checks.isEmpty;
import static dev.jrun.spec.validate.Checks.quote;
import static dev.jrun.spec.validate.JsonPath.field;
import static dev.jrun.spec.validate.JsonPath.index;

import dev.jrun.spec.linux.SeccompNames;
import dev.jrun.spec.model.LinuxSeccomp;
import dev.jrun.spec.model.LinuxSeccompArg;
import dev.jrun.spec.model.LinuxSyscall;
import java.util.List;

/** {@code linux.seccomp}: names as libseccomp spells them, plus runc's extra restrictions. */
final class SeccompRules {
    private static final String NOTIFY = SeccompNames.NOTIFY;
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
                f.error(field(AT, Json.LinuxSeccomp.defaultAction), "SCMP_ACT_NOTIFY cannot be used as default action");
            }
        }
        names(s.architectures(), SeccompNames.ARCHITECTURES, "architecture", field(AT, Json.LinuxSeccomp.architectures));
        names(s.flags(), SeccompNames.FLAGS, "flag", field(AT, Json.LinuxSeccomp.flags));

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
                            "SCMP_ACT_NOTIFY cannot be used for the write syscall");
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
        if (!SeccompNames.ACTIONS.contains(action)) {
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
        } else if (!SeccompNames.OPERATORS.contains(a.op())) {
            f.error(field(at, Json.LinuxSeccompArg.op), "unknown operator " + quote(a.op()));
        }
    }

    private void names(List<String> values, List<String> known, String what, String at) {
        if (values != null) {
            for (int i = 0; i < values.size(); i++) {
                if (!known.contains(values.get(i))) {
                    f.error(index(at, i), "unknown " + what + " " + quote(values.get(i)));
                }
            }
        }
    }
}
