package dev.jrun.runtime.container;

import dev.jrun.spec.model.LinuxCapabilities;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.User;
import java.util.ArrayList;
import java.util.List;

/**
 * runc's flag form of exec: the container's own process section, with what the flags change.
 *
 * @param env -e values, appended (a later one wins, as in the environment itself)
 * @param user -u "uid[:gid]", or null
 * @param caps --cap values, added to the bounding, effective and permitted sets, and the ambient
 *     set when the config lists inheritable capabilities
 */
public record ExecProcess(List<String> args, boolean tty, List<String> env, String cwd, String user,
        List<Long> additionalGids, List<String> caps, boolean noNewPrivs, String apparmor, String processLabel) {

    public Process applyTo(Process base) throws JrunException {
        if (args.isEmpty()) {
            throw new JrunException("exec: a command is required (exec [flags] ID COMMAND [ARGS...])");
        }
        List<String> allEnv = new ArrayList<>(base.env() == null ? List.of() : base.env());
        allEnv.addAll(env);
        User u = base.user() == null ? new User(0L, 0L, null, null, null) : base.user();
        if (user != null) {
            String[] parts = user.split(":", 2);
            try {
                long uid = Long.parseLong(parts[0]);
                long gid = parts.length > 1 ? Long.parseLong(parts[1]) : u.gidOrZero();
                u = new User(uid, gid, u.umask(), u.additionalGids(), null);
            } catch (NumberFormatException e) {
                throw new JrunException("invalid --user \"" + user + "\": expected UID[:GID] as numbers");
            }
        }
        if (!additionalGids.isEmpty()) {
            u = new User(u.uid(), u.gid(), u.umask(), additionalGids, null);
        }
        LinuxCapabilities c = base.capabilities();
        if (!caps.isEmpty()) {
            c = c == null ? new LinuxCapabilities(List.of(), List.of(), List.of(), List.of(), List.of()) : c;
            // ambient only where the config has inheritable ones: runc's rule (ambient needs inheritable)
            c = new LinuxCapabilities(plus(c.bounding(), caps), plus(c.effective(), caps), c.inheritable(),
                    plus(c.permitted(), caps), c.inheritable() != null ? plus(c.ambient(), caps) : c.ambient());
        }
        return new Process(tty, tty ? base.consoleSize() : null, u, args, null, allEnv,
                cwd != null ? cwd : base.cwd(), c, base.rlimits(), noNewPrivs || base.isNoNewPrivileges(),
                apparmor != null ? apparmor : base.apparmorProfile(), base.oomScoreAdj(), base.scheduler(),
                processLabel != null ? processLabel : base.selinuxLabel(), base.ioPriority(), base.execCPUAffinity());
    }

    private static List<String> plus(List<String> set, List<String> more) {
        List<String> out = new ArrayList<>(set == null ? List.of() : set);
        for (String m : more) {
            String name = m.startsWith("CAP_") ? m : "CAP_" + m;
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }
}
