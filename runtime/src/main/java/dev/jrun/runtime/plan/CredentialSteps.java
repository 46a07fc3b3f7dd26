package dev.jrun.runtime.plan;

import dev.jrun.spec.linux.Capabilities;
import dev.jrun.spec.model.LinuxCapabilities;
import dev.jrun.spec.model.User;
import java.util.List;

/**
 * The process's identity, in runc's order: no_new_privs, the seccomp filter where it must
 * precede the drop of privileges, the cwd (entered as root if root may), the bounding set,
 * groups and ids (capabilities kept across the change), the cwd if only the process's own ids
 * may enter it, then the final capability sets and the umask.
 */
final class CredentialSteps {
    static final long DEFAULT_UMASK = 0022;

    private CredentialSteps() {
    }

    static void add(Compilation c) {
        if (c.process.isNoNewPrivileges()) {
            c.add(new Step.NoNewPrivs(), "set no_new_privs");
        }
        PlanContext.SeccompProgram seccomp = c.ctx.seccomp();
        // Without no_new_privs loading a filter needs CAP_SYS_ADMIN, so it must precede the drop.
        if (seccomp != null && (!c.process.isNoNewPrivileges() || seccomp.hasListener())) {
            c.add(new Step.Seccomp(seccomp.flags(), seccomp.bpf(), seccomp.hasListener()), "load the seccomp filter");
        }
        // as root first: a cwd only root may enter (exec --user 0 into /root of another owner)
        String cwd = c.process.cwd() == null || c.process.cwd().isEmpty() ? "/" : c.process.cwd();
        c.add(new Step.Chdir(cwd, true), "chdir to cwd " + cwd);
        LinuxCapabilities caps = c.process.capabilities();
        if (caps != null) {
            c.add(new Step.CapBounding(mask(caps.bounding())), "drop capabilities from the bounding set");
        }
        User user = c.process.user();
        long uid = user == null ? 0 : user.uidOrZero();
        long gid = user == null ? 0 : user.gidOrZero();
        List<Long> extra = user == null || user.additionalGids() == null ? List.of() : user.additionalGids();
        byte[] packed = new byte[extra.size() * 4];
        for (int i = 0; i < extra.size(); i++) {
            long g = extra.get(i);
            for (int b = 0; b < 4; b++) {
                packed[i * 4 + b] = (byte) (g >> (8 * b));
            }
        }
        c.add(new Step.SetGroups(packed), "set the supplementary groups");
        c.add(new Step.SetGid(gid), "set gid " + gid);
        c.add(new Step.SetUid(uid), "set uid " + uid);
        // only if root was refused: the process's own ids may be the ones allowed in
        c.add(new Step.Chdir(cwd, false), "chdir to cwd " + cwd);
        if (caps != null) {
            c.add(new Step.Capset(mask(caps.effective()), mask(caps.permitted()), mask(caps.inheritable())),
                    "set capabilities");
            if (caps.ambient() != null && !caps.ambient().isEmpty()) {
                c.add(new Step.Ambient(mask(caps.ambient())), "raise ambient capabilities");
            }
        }
        long umask = user != null && user.umask() != null ? user.umask() : DEFAULT_UMASK;
        c.add(new Step.Umask(umask), "set the umask");
    }

    static long mask(List<String> names) {
        long m = 0;
        for (String name : names == null ? List.<String>of() : names) {
            int bit = Capabilities.number(name);
            if (bit >= 0) {
                m |= 1L << bit;
            }
        }
        return m;
    }
}
