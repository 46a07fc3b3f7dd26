package dev.jrun.runtime.container;

import dev.jrun.runtime.cgroups.CgroupException;
import dev.jrun.runtime.cgroups.CgroupManager;
import dev.jrun.runtime.linux.Errno;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.plan.InitPlan;
import dev.jrun.runtime.plan.PlanCompiler;
import dev.jrun.runtime.plan.PlanContext;
import dev.jrun.runtime.plan.PlanException;
import dev.jrun.runtime.process.Executor;
import dev.jrun.runtime.process.ForegroundProcess;
import dev.jrun.runtime.process.SyncSocket;
import dev.jrun.runtime.seccomp.NotifyHandoff;
import dev.jrun.runtime.seccomp.SeccompException;
import dev.jrun.spec.OciVersion;
import dev.jrun.spec.model.LinuxNamespace;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * `exec`: another process in a running container, through the same executor as create.  It
 * joins the container's namespaces through a pidfd of the init, whose identity is checked
 * after the pidfd pins it, so a recycled pid can never send the process elsewhere.
 */
final class Execer {
    private final StateStore store;
    private final Host host;
    private final Syscalls sys;
    private final String id;
    private final ExecOptions options;
    private final List<Integer> fds = new ArrayList<>();
    private final java.util.function.Consumer<String> debug;
    private final java.util.function.Consumer<String> warn;
    private InitConversation conversation;

    /** @param debug where the plan goes with --debug, or null */
    Execer(StateStore store, Host host, String id, ExecOptions options, java.util.function.Consumer<String> warn,
            java.util.function.Consumer<String> debug) {
        this.warn = warn;
        this.debug = debug;
        this.store = store;
        this.host = host;
        this.sys = host.sys();
        this.id = id;
        this.options = options;
    }

    /** @return the process's shell-style exit status, or 0 when detached */
    int exec(ContainerState state, Spec container, Process process, PlanContext.SeccompProgram seccomp)
            throws JrunException, IOException {
        int[] console = null;
        boolean done = false;
        try {
            int pidfd = keep(sys.pidfdOpen(state.pid()));
            if (!StatusProbe.initAlive(host, state)) {
                throw new JrunException("cannot exec in a stopped container");
            }
            ConsoleRules.check(process.isTerminal(), options.consoleSocket() != null, options.detach());
            int consoleFd = -1;
            if (process.isTerminal()) {
                if (options.consoleSocket() != null) {
                    consoleFd = keep(sys.connectUnix(options.consoleSocket().toString()));
                } else {
                    console = sys.socketPair();
                    consoleFd = console[1];
                }
            }
            Executor executor = new Executor(options.preserveFds());
            int pidfdChild = executor.pass(pidfd);
            int consoleChild = consoleFd >= 0 ? executor.pass(consoleFd) : -1;
            PlanContext ctx = new PlanContext(new PlanContext.Container(id, Path.of(state.bundle()),
                    Path.of(state.rootfs()), ""), new PlanContext.Invocation(false, false, consoleChild, -1),
                    new PlanContext.Host(false, null, host.facts().appArmorExecAttr(), host.facts().selinux(), null),
                    seccomp);
            InitPlan plan = PlanCompiler.compileExec(container, process, ctx,
                    new PlanCompiler.ExecContext(pidfdChild, namespaceFlags(container)));
            List<CgroupManager> cgroups = cgroups(state);
            if (debug != null) {
                for (String step : plan.render().split("\n")) {
                    debug("plan: " + step);
                }
            }
            Executor.Started started = host.startExecutor(executor);
            debug("jrun-init started as pid " + started.pid());
            conversation = new InitConversation(sys, plan, started.pid());
            try (SyncSocket socket = started.socket()) {
                conversation.sendPlan(socket);
                conversation.run(socket, new Parent(state, container, cgroups));
            }
            int pid = conversation.child();
            debug("process is pid " + pid);
            if (options.pidfdSocket() != null) {
                PidfdSocket.send(sys, options.pidfdSocket(), pid, "setns");
            }
            if (options.pidFile() != null) {
                PidFile.write(options.pidFile(), pid);
            }
            done = true;
            if (options.detach()) {
                return 0;
            }
            ForegroundProcess fg = host.foreground(conversation.child(), console);
            fg.forwardSignals();
            fg.attachTerminal();
            return fg.waitForExit();
        } catch (NativeException e) {
            if (e.errno() == Errno.ESRCH) {
                throw new JrunException("cannot exec in a stopped container");
            }
            throw new JrunException(e.getMessage(), e);
        } catch (PlanException e) {
            throw new JrunException(e.getMessage(), e);
        } finally {
            if (!done && conversation != null) {
                conversation.killAll();
            }
            for (int fd : fds) {
                sys.close(fd);
            }
            if (console != null) {
                sys.close(console[0]);
                sys.close(console[1]);
            }
        }
    }

    private int keep(int fd) {
        fds.add(fd);
        return fd;
    }

    /** Every namespace the container has, created or joined: the init is in all of them. */
    static long namespaceFlags(Spec container) {
        long flags = 0;
        for (LinuxNamespace ns : container.linux().namespaces() == null ? List.<LinuxNamespace>of()
                : container.linux().namespaces()) {
            flags |= dev.jrun.spec.linux.NamespaceType.flag(ns.type());
        }
        return flags;
    }

    /** The container's cgroup, or the sub-cgroup --cgroup names (which must already exist). */
    private List<CgroupManager> cgroups(ContainerState state) throws JrunException {
        try {
            Map<String, String> sub = SubCgroups.parse(options.cgroups());
            if (sub.isEmpty()) {
                return List.of(host.cgroup(state.cgroupPaths()));
            }
            Map<String, String> paths = SubCgroups.apply(state.cgroupPaths(), sub);
            for (String dir : paths.values()) {
                if (!Files.isDirectory(Path.of(dir))) {
                    throw new JrunException("--cgroup: " + dir + " does not exist");
                }
            }
            return List.of(host.cgroup(paths));
        } catch (CgroupException e) {
            throw new JrunException(e.getMessage(), e);
        }
    }

    /** What exec does at the executor's sync points. */
    private final class Parent implements InitConversation.Parent {
        private final ContainerState state;
        private final Spec container;
        private final List<CgroupManager> cgroups;

        Parent(ContainerState state, Spec container, List<CgroupManager> cgroups) {
            this.state = state;
            this.container = container;
            this.cgroups = cgroups;
        }

        @Override
        public void placeInCgroup(int stage1) throws JrunException {
            try {
                for (CgroupManager cg : cgroups) {
                    cg.addProcess(stage1);
                }
            } catch (CgroupException e) {
                throw new JrunException(e.getMessage(), e);
            }
        }

        @Override
        public void warn(String message) {
            warn.accept(message);
        }

        @Override
        public void seccompListener(int pid, int fd) throws JrunException {
            State s = new State(OciVersion.CURRENT, id, Status.RUNNING.word, (long) pid, state.bundle(),
                    state.annotations().isEmpty() ? null : state.annotations());
            try {
                NotifyHandoff.send(sys, container.linux().seccomp(), s, pid, fd);
            } catch (SeccompException e) {
                throw new JrunException(e.getMessage(), e);
            }
        }
    }

    private void debug(String message) {
        if (debug != null) {
            debug.accept("exec in " + id + ": " + message);
        }
    }
}
