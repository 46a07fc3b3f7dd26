package dev.jrun.runtime.plan;

import dev.jrun.spec.model.User;
import java.util.List;

/**
 * The last steps before the container's process runs: close what the set-up held, find the
 * executable (so a missing one fails create, in runc's words), report ready,
 * wait for start, run the startContainer hooks, load a filter that must come last, execve.
 */
final class HandOverSteps {
    private HandOverSteps() {
    }

    static void add(Compilation c) {
        c.add(new Step.CloseSetupFds(), "close set-up file descriptors");
        ProcessEnv env = ProcessEnv.of(c.process.env());
        // its errors are complete sentences in runc's words (podman matches them)
        c.add(new Step.LookupExec(c.process.args().get(0), env.path()), "");
        if (env.needsHome()) {
            User user = c.process.user();
            c.add(new Step.DefaultHome(user == null ? 0L : user.uidOrZero()), "find the home directory");
        }
        // runc loads it before reporting ready, so startContainer hooks run under it too
        PlanContext.SeccompProgram seccomp = c.ctx.seccomp();
        if (seccomp != null && c.process.isNoNewPrivileges() && !seccomp.hasListener()) {
            c.add(new Step.Seccomp(seccomp.flags(), seccomp.bpf(), false), "load the seccomp filter");
        }
        c.add(new Step.ReportCreated(), c.isExec() ? "report the process started" : "report the container created");
        if (!c.isExec()) {
            c.add(new Step.WaitStart(c.ctx.invocation().fifoFd()), "wait for start");
            if (c.spec.hooks() != null) {
                HookSteps.add(c, "startContainer", c.spec.hooks().startContainer(), env);
            }
        }
        c.add(new Step.Exec(c.process.args(), env.variables()), "exec " + c.process.args().get(0));
    }
}
