package dev.jrun.runtime.plan;

import static dev.jrun.runtime.plan.Compilation.notBlank;

import dev.jrun.spec.linux.CpuList;
import dev.jrun.spec.linux.Rlimits;
import dev.jrun.spec.model.POSIXRlimit;
import dev.jrun.spec.model.User;
import java.util.List;
import java.util.Map;

/**
 * After the root switch: what belongs to the container (hostname, domainname, sysctls, set once
 * at create), then what belongs to the process (keyring, rlimits, scheduling, LSM labels, its
 * session and terminal).
 */
final class ProcessSteps {
    private ProcessSteps() {
    }

    static void add(Compilation c) throws PlanException {
        if (!c.isExec()) {
            containerAttributes(c);
        }
        if (!c.ctx.invocation().noNewKeyring()) {
            c.add(new Step.Keyring("_ses." + c.ctx.container().id()), "create a session keyring");
        }
        for (POSIXRlimit r : c.process.rlimits() == null ? List.<POSIXRlimit>of() : c.process.rlimits()) {
            int resource = Rlimits.number(r.type());
            if (resource < 0) {
                throw new PlanException("process.rlimits: unknown rlimit type " + r.type());
            }
            c.add(new Step.SetRlimit(resource, r.soft() == null ? 0L : r.soft(), r.hard() == null ? 0L : r.hard()),
                    "set " + r.type());
        }
        scheduling(c);
        labels(c);
        // an exec'd process without a terminal stays in its caller's session, as with runc
        if (!c.isExec() || c.hasConsole()) {
            c.add(new Step.Setsid(), "start a new session");
        }
        if (c.hasConsole()) {
            c.add(new Step.Ctty(), "make the console the controlling terminal");
        }
    }

    /** The pty: made on the container's devpts, its master sent to the console socket. */
    static void console(Compilation c, boolean bindDevConsole) {
        if (!c.hasConsole()) {
            return;
        }
        User u = c.process.user();
        long rows = c.process.consoleSize() != null && c.process.consoleSize().height() != null
                ? c.process.consoleSize().height() : 0L;
        long cols = c.process.consoleSize() != null && c.process.consoleSize().width() != null
                ? c.process.consoleSize().width() : 0L;
        c.add(new Step.Console(c.ctx.invocation().consoleSocketFd(), rows, cols, u == null ? 0L : u.uidOrZero(),
                u == null ? 0L : u.gidOrZero(), bindDevConsole), "set up the console");
    }

    private static void containerAttributes(Compilation c) {
        if (notBlank(c.spec.hostname())) {
            c.add(new Step.SetHostname(c.spec.hostname()), "set the hostname to " + c.spec.hostname());
        }
        if (notBlank(c.spec.domainname())) {
            c.add(new Step.SetDomainname(c.spec.domainname()), "set the domainname to " + c.spec.domainname());
        }
        if (c.linux.sysctl() != null) {
            for (Map.Entry<String, String> e : c.linux.sysctl().entrySet()) {
                c.add(new Step.ProcWrite("sys/" + e.getKey().replace('.', '/'), e.getValue()),
                        "set sysctl " + e.getKey());
            }
        }
    }

    private static void scheduling(Compilation c) throws PlanException {
        if (c.linux.personality() != null) {
            c.add(new Step.Personality(ProcessAttributes.personality(c.linux.personality())),
                    "set the personality " + c.linux.personality().domain());
        }
        if (c.process.scheduler() != null) {
            ProcessAttributes.Sched s = ProcessAttributes.sched(c.process.scheduler());
            // the kernel refuses SCHED_DEADLINE to a task whose CPUs are fewer than its root domain's
            boolean cpuset = c.linux.resources() != null && c.linux.resources().cpu() != null
                    && notBlank(c.linux.resources().cpu().cpus());
            c.add(new Step.Sched(s.policy(), s.flags(), s.nice(), s.priority(), s.runtime(), s.deadline(), s.period()),
                    "set the scheduler " + c.process.scheduler().policy(),
                    !cpuset ? null : new InitPlan.Explained(
                            "process scheduler can't be used together with AllowedCPUs", InitPlan.Explained.EPERM));
        }
        if (c.process.ioPriority() != null) {
            c.add(new Step.Ioprio(ProcessAttributes.ioprio(c.process.ioPriority())), "set the I/O priority");
        }
        if (c.isExec() && c.process.execCPUAffinity() != null && c.process.execCPUAffinity().finalCpus() != null) {
            c.add(new Step.Affinity(CpuList.mask(c.process.execCPUAffinity().finalCpus())), "set the CPU affinity");
        }
        if (c.linux.memoryPolicy() != null) {
            ProcessAttributes.MemPolicy mp = ProcessAttributes.memoryPolicy(c.linux.memoryPolicy());
            c.add(new Step.Mempolicy(mp.modeAndFlags(), mp.nodes()), "set the memory policy " + c.linux.memoryPolicy().mode());
        }
    }

    /** Both labels take effect at the next execve, so they can be set now, while /proc is ours. */
    private static void labels(Compilation c) {
        if (notBlank(c.process.apparmorProfile())) {
            c.add(new Step.ProcWrite("self/" + c.ctx.host().appArmorExecAttr(), "exec " + c.process.apparmorProfile()),
                    "apply AppArmor profile " + c.process.apparmorProfile());
        }
        if (notBlank(c.process.selinuxLabel())) {
            c.add(new Step.ProcWrite("self/attr/exec", c.process.selinuxLabel()),
                    "apply SELinux label " + c.process.selinuxLabel());
        }
    }
}
