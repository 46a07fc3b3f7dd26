package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.Checks.alternatives;
import static dev.jrun.spec.validate.Checks.hasNul;
import static dev.jrun.spec.validate.Checks.isAbsolute;
import static dev.jrun.spec.validate.Checks.isEmpty;
import static dev.jrun.spec.validate.Checks.oneOf;
import static dev.jrun.spec.validate.Checks.quote;
import static dev.jrun.spec.validate.JsonPath.field;
import static dev.jrun.spec.validate.JsonPath.index;

import dev.jrun.spec.linux.Capabilities;
import dev.jrun.spec.linux.CpuList;
import dev.jrun.spec.linux.Rlimits;
import dev.jrun.spec.model.CPUAffinity;
import dev.jrun.spec.model.LinuxCapabilities;
import dev.jrun.spec.model.LinuxIOPriority;
import dev.jrun.spec.model.POSIXRlimit;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Scheduler;
import dev.jrun.spec.model.User;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The process: what both {@code create} and {@code exec} need. */
final class ProcessRules {
    /** (uid_t)-1 means "unchanged" to the kernel, so the largest usable id is one less. */
    private static final long MAX_ID = 0xFFFF_FFFEL;

    static final String[] POLICIES = {
        "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE",
    };
    static final String[] SCHED_FLAGS = {
        "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN",
        "SCHED_FLAG_KEEP_POLICY", "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
        "SCHED_FLAG_UTIL_CLAMP_MAX",
    };
    static final String[] IO_CLASSES = {"IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"};

    private final Findings f;

    ProcessRules(Findings f) {
        this.f = f;
    }

    /** @param at the path of the process object: "process" in config.json, "" standalone */
    void check(Process p, String at) {
        if (isEmpty(p.cwd())) {
            f.error(field(at, Json.Process.cwd), "must be set");
        } else if (!isAbsolute(p.cwd())) {
            f.error(field(at, Json.Process.cwd), "must be an absolute path");
        }
        if (isEmpty(p.args())) {
            f.error(field(at, Json.Process.args), "must not be empty");
        } else {
            for (int i = 0; i < p.args().size(); i++) {
                if (hasNul(p.args().get(i))) {
                    f.error(index(field(at, Json.Process.args), i), "must not contain a NUL byte");
                }
            }
        }
        if (!isEmpty(p.commandLine())) {
            f.warn(field(at, Json.Process.commandLine), "ignored: it is only used on Windows");
        }
        if (p.env() != null) {
            env(p.env(), field(at, Json.Process.env));
        }
        if (p.consoleSize() != null && !p.isTerminal()) {
            f.warn(field(at, Json.Process.consoleSize), "ignored because terminal is not true");
        }
        if (p.user() != null) {
            user(p.user(), field(at, Json.Process.user));
        }
        if (p.capabilities() != null) {
            capabilities(p.capabilities(), field(at, Json.Process.capabilities));
        }
        if (p.rlimits() != null) {
            rlimits(p.rlimits(), field(at, Json.Process.rlimits));
        }
        if (p.oomScoreAdj() != null && (p.oomScoreAdj() < -1000 || p.oomScoreAdj() > 1000)) {
            f.error(field(at, Json.Process.oomScoreAdj), "must be between -1000 and 1000");
        }
        if (p.scheduler() != null) {
            scheduler(p.scheduler(), field(at, Json.Process.scheduler));
        }
        if (p.ioPriority() != null) {
            ioPriority(p.ioPriority(), field(at, Json.Process.ioPriority));
        }
        if (p.execCPUAffinity() != null) {
            cpuAffinity(p.execCPUAffinity(), field(at, Json.Process.execCPUAffinity));
        }
    }

    /** runc refuses what execve could not pass on faithfully. */
    private void env(List<String> env, String at) {
        for (int i = 0; i < env.size(); i++) {
            String kv = env.get(i);
            int eq = kv.indexOf('=');
            if (eq < 0) {
                f.error(index(at, i), "must have the form NAME=VALUE");
            } else if (eq == 0) {
                f.error(index(at, i), "the variable name must not be empty");
            } else if (hasNul(kv)) {
                f.error(index(at, i), "must not contain a NUL byte");
            }
        }
    }

    private void user(User u, String at) {
        id(u.uid(), field(at, Json.User.uid));
        id(u.gid(), field(at, Json.User.gid));
        if (u.umask() != null && (u.umask() < 0 || u.umask() > 0777)) {
            f.error(field(at, Json.User.umask), "must be between 0 and 0777 (511)");
        }
        if (u.additionalGids() != null) {
            for (int i = 0; i < u.additionalGids().size(); i++) {
                id(u.additionalGids().get(i), index(field(at, Json.User.additionalGids), i));
            }
        }
        if (!isEmpty(u.username())) {
            f.warn(field(at, Json.User.username), "ignored: it is only used on Windows");
        }
    }

    private void id(Long id, String at) {
        if (id != null && (id < 0 || id > MAX_ID)) {
            f.error(at, "must be between 0 and " + MAX_ID);
        }
    }

    /** Unknown names are warnings: the spec says runtimes SHOULD NOT fail on them. */
    private void capabilities(LinuxCapabilities c, String at) {
        capabilitySet(c.bounding(), field(at, Json.LinuxCapabilities.bounding));
        capabilitySet(c.effective(), field(at, Json.LinuxCapabilities.effective));
        capabilitySet(c.inheritable(), field(at, Json.LinuxCapabilities.inheritable));
        capabilitySet(c.permitted(), field(at, Json.LinuxCapabilities.permitted));
        capabilitySet(c.ambient(), field(at, Json.LinuxCapabilities.ambient));
    }

    private void capabilitySet(List<String> names, String at) {
        if (names == null) {
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            if (Capabilities.number(names.get(i)) < 0) {
                f.warn(index(at, i), "unknown capability " + quote(names.get(i)));
            }
        }
    }

    private void rlimits(List<POSIXRlimit> rlimits, String at) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rlimits.size(); i++) {
            POSIXRlimit r = rlimits.get(i);
            String here = index(at, i);
            if (isEmpty(r.type())) {
                f.error(field(here, Json.POSIXRlimit.type), "must be set");
            } else if (Rlimits.number(r.type()) < 0) {
                f.error(field(here, Json.POSIXRlimit.type), "unknown rlimit " + quote(r.type()));
            } else if (seen.putIfAbsent(r.type(), i) != null) {
                f.error(field(here, Json.POSIXRlimit.type), "duplicate rlimit " + quote(r.type()));
            }
            long soft = r.soft() == null ? 0 : r.soft();
            long hard = r.hard() == null ? 0 : r.hard();
            if (Long.compareUnsigned(soft, hard) > 0) {
                f.error(field(here, Json.POSIXRlimit.soft), Long.toUnsignedString(soft)
                        + " exceeds the hard limit " + Long.toUnsignedString(hard));
            }
        }
    }

    /** sched_setattr(2)'s constraints, as runc checks them plus the kernel's range checks. */
    private void scheduler(Scheduler s, String at) {
        String policy = s.policy();
        if (isEmpty(policy)) {
            f.error(field(at, Json.Scheduler.policy), "must be set");
            return;
        }
        if (!oneOf(policy, POLICIES)) {
            f.error(field(at, Json.Scheduler.policy), "unknown policy " + quote(policy));
            return;
        }
        int nice = s.nice() == null ? 0 : s.nice();
        if ((policy.equals("SCHED_OTHER") || policy.equals("SCHED_BATCH")) && (nice < -20 || nice > 19)) {
            f.error(field(at, Json.Scheduler.nice), "must be between -20 and 19");
        }
        int priority = s.priority() == null ? 0 : s.priority();
        boolean realtime = policy.equals("SCHED_FIFO") || policy.equals("SCHED_RR");
        if (realtime && (priority < 1 || priority > 99)) {
            f.error(field(at, Json.Scheduler.priority), "must be between 1 and 99 for " + policy);
        } else if (!realtime && priority != 0) {
            f.error(field(at, Json.Scheduler.priority), "only SCHED_FIFO and SCHED_RR take a priority");
        }
        long runtime = s.runtime() == null ? 0 : s.runtime();
        long deadline = s.deadline() == null ? 0 : s.deadline();
        long period = s.period() == null ? 0 : s.period();
        if (!policy.equals("SCHED_DEADLINE")) {
            if (runtime != 0 || deadline != 0 || period != 0) {
                String which = runtime != 0 ? Json.Scheduler.runtime
                        : deadline != 0 ? Json.Scheduler.deadline : Json.Scheduler.period;
                f.error(field(at, which), "only SCHED_DEADLINE takes runtime, deadline and period");
            }
        } else {
            if (Long.compareUnsigned(runtime, deadline) > 0) {
                f.error(field(at, Json.Scheduler.runtime), "must not exceed deadline");
            }
            if (period != 0 && Long.compareUnsigned(deadline, period) > 0) {
                f.error(field(at, Json.Scheduler.deadline), "must not exceed period");
            }
        }
        if (s.flags() != null) {
            for (int i = 0; i < s.flags().size(); i++) {
                if (!oneOf(s.flags().get(i), SCHED_FLAGS)) {
                    f.error(index(field(at, Json.Scheduler.flags), i), "unknown flag " + quote(s.flags().get(i)));
                }
            }
        }
    }

    private void ioPriority(LinuxIOPriority io, String at) {
        if (isEmpty(io.ioClass())) {
            f.error(field(at, Json.LinuxIOPriority.ioClass), "must be set");
        } else if (!oneOf(io.ioClass(), IO_CLASSES)) {
            f.error(field(at, Json.LinuxIOPriority.ioClass), "unknown class " + quote(io.ioClass()) + " (expected "
                    + alternatives(IO_CLASSES) + ")");
        }
        long priority = io.priority() == null ? 0 : io.priority();
        if (priority < 0 || priority > 7) {
            f.error(field(at, Json.LinuxIOPriority.priority), "must be between 0 and 7");
        }
    }

    private void cpuAffinity(CPUAffinity a, String at) {
        affinity(a.initial(), field(at, Json.CPUAffinity.initial));
        affinity(a.finalCpus(), field(at, Json.CPUAffinity.finalCpus));
    }

    private void affinity(String cpus, String at) {
        String problem = cpus == null ? null : CpuList.affinityProblem(cpus);
        if (problem != null) {
            f.error(at, problem);
        }
    }
}
