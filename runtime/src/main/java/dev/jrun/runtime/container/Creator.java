package dev.jrun.runtime.container;

import dev.jrun.runtime.cgroups.CgroupException;
import dev.jrun.runtime.cgroups.CgroupManager;
import dev.jrun.runtime.hooks.HookException;
import dev.jrun.runtime.hooks.HookRunner;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.plan.InitPlan;
import dev.jrun.runtime.plan.PlanCompiler;
import dev.jrun.runtime.plan.PlanContext;
import dev.jrun.runtime.plan.PlanException;
import dev.jrun.runtime.process.Executor;
import dev.jrun.runtime.process.SyncSocket;
import dev.jrun.runtime.seccomp.NotifyHandoff;
import dev.jrun.runtime.seccomp.SeccompCompiler;
import dev.jrun.runtime.seccomp.SeccompException;
import dev.jrun.spec.OciVersion;
import dev.jrun.spec.model.Hooks;
import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * `create`: from a loaded bundle to an init parked on exec.fifo.  Every resource it takes is
 * recorded as it is taken, so a failure at any step undoes exactly what was done: no state
 * directory, cgroup, process or fd survives a failed create.
 */
final class Creator {
    private final StateStore store;
    private final Host host;
    private final Syscalls sys;
    private final String id;
    private final Bundle bundle;
    private final CreateOptions options;
    private final int internalConsoleFd;

    private final Consumer<String> warn;
    private final Consumer<String> debug;
    private CgroupManager cgroup;
    private CgroupManager.NewDirs newCgroupDirs;
    /** Mounts under the rootfs before create, when the container shares the caller's mount namespace. */
    private java.util.Map<String, String> hostMountsBefore;
    private InitConversation conversation;
    private final List<Integer> fds = new ArrayList<>();

    /**
     * @param internalConsoleFd our end of a console socket `run` made itself (a tty proxied by
     *     jrun), or -1
     */
    Creator(StateStore store, Host host, String id, Bundle bundle, CreateOptions options, int internalConsoleFd,
            Consumer<String> warn, Consumer<String> debug) {
        this.warn = warn;
        this.debug = debug;
        this.store = store;
        this.host = host;
        this.sys = host.sys();
        this.id = id;
        this.bundle = bundle;
        this.options = options;
        this.internalConsoleFd = internalConsoleFd;
    }

    ContainerState create() throws JrunException, IOException {
        Spec spec = bundle.spec();
        ConsoleRules.check(spec.process().isTerminal(), options.consoleSocket() != null, internalConsoleFd < 0);
        return Reservation.build(store, sys, id, fds, this::undo, () -> build(spec));
    }

    private ContainerState build(Spec spec) throws JrunException, IOException {
        Path dir = store.dir(id);
        SeccompCompiler.Result seccomp;
        try {
            // before anything is created
            seccomp = SeccompCompiler.compile(spec.linux().seccomp());
            if (seccomp != null) {
                seccomp.warnings().forEach(warn);
            }
        } catch (SeccompException e) {
            throw new JrunException(e.getMessage(), e);
        }
        CgroupManager candidate;
        try {
            candidate = host.newCgroup(spec.linux().cgroupsPath(), id);
            candidate.refuseUnsupported(spec.linux().resources());
            refuseTaken(candidate);
        } catch (CgroupException e) {
            throw new JrunException(e.getMessage(), e);
        }
        // only a cgroup that passed is undone on failure: a refused one may be another's
        cgroup = candidate;
        if (spec.linux().namespace(dev.jrun.spec.linux.NamespaceType.MOUNT.type) == null) {
            hostMountsBefore = host.mountsUnder(bundle.rootfs());
        }
        recordCreating(0);
        try {
            Path fifo = dir.resolve(StateStore.FIFO);
            sys.mkfifo(fifo.toString(), 0622);
            int fifoFd = keep(sys.openFifo(fifo.toString()));
            int consoleFd = -1;
            if (options.consoleSocket() != null) {
                consoleFd = keep(sys.connectUnix(options.consoleSocket().toString()));
            } else if (internalConsoleFd >= 0) {
                consoleFd = internalConsoleFd;
            }
            Executor executor = new Executor(options.preserveFds());
            int fifoChild = executor.pass(fifoFd);
            int consoleChild = consoleFd >= 0 ? executor.pass(consoleFd) : -1;
            Host.Facts facts = host.facts();
            InitPlan plan = PlanCompiler.compile(spec, new PlanContext(
                    new PlanContext.Container(id, bundle.dir(), bundle.rootfs(), parentMountToPrivatize(spec)),
                    new PlanContext.Invocation(options.noPivot(), options.noNewKeyring(), consoleChild, fifoChild),
                    new PlanContext.Host(facts.hasKcore(), cgroup.view(), facts.appArmorExecAttr(), facts.selinux(),
                            options.noPivot() ? host.fullProcAndSysMountsOutside(bundle.rootfs()) : null),
                    seccomp == null ? null : seccomp.program()));
            debug("cgroup " + cgroup.paths());
            if (debug != null) {
                for (String step : plan.render().split("\n")) {
                    debug("plan: " + step);
                }
            }
            // The executor starts first and waits at its first sync point (joining the cgroup)
            // while the cgroup is made: the two overlap on the machine's cores.
            Executor.Started started = host.startExecutor(executor);
            debug("jrun-init started as pid " + started.pid());
            conversation = new InitConversation(sys, plan, started.pid());
            try (SyncSocket socket = started.socket()) {
                conversation.sendPlan(socket);
                try {
                    cgroup.create(spec.linux().resources());
                    cgroup.apply(spec.linux().resources());
                } catch (CgroupException e) {
                    throw new JrunException(e.getMessage(), e);
                }
                conversation.run(socket, new Parent(spec));
            }
            int init = conversation.child();
            debug("container init is pid " + init + ", waiting on the exec fifo");
            if (options.pidfdSocket() != null) {
                PidfdSocket.send(sys, options.pidfdSocket(), init, "standard");
            }
            ProcStat stat = host.stat(init);
            if (stat == null) {
                throw new JrunException("container init (pid " + init + ") exited during create");
            }
            Hooks hooks = spec.hooks();
            ContainerState state = new ContainerState(id, init, stat.startTime(), bundle.dir().toString(),
                    bundle.rootfs().toString(), Timestamps.now(), owner(), spec.annotations(), cgroup.paths(),
                    hooks != null && hooks.poststart() != null && !hooks.poststart().isEmpty(),
                    hooks != null && hooks.poststop() != null && !hooks.poststop().isEmpty(),
                    hostMountsBefore == null ? null : HostMounts.madeSince(host, bundle.rootfs(), hostMountsBefore),
                    !hasOwnPidNamespace(spec), newCgroupDirs.parents());
            store.writeFile(id, StateStore.CONFIG, bundle.configBytes());
            store.write(state);
            store.removeCreating(id);
            if (options.pidFile() != null) {
                PidFile.write(options.pidFile(), init);
            }
            return state;
        } catch (NativeException e) {
            throw new JrunException(e.getMessage(), e);
        } catch (PlanException e) {
            throw new JrunException(bundle.configFile() + ": " + e.getMessage(), e);
        }
    }

    /** One --debug line, in runc's manner: what happened, for whom. */
    private void debug(String message) {
        if (debug != null) {
            debug.accept("create " + id + ": " + message);
        }
    }

    /**
     * runc's refusals of a cgroup that is not free for a new container, before anything is
     * made: one with processes (they would live under the container's limits, and its delete
     * would kill them), and a frozen one (the init would stop at its first step, and create
     * would wait for it forever).
     */
    private static void refuseTaken(CgroupManager cg) throws CgroupException, JrunException {
        int found = cg.processesInAnyHierarchy().size();
        if (found > 0) {
            throw new JrunException("container's cgroup is not empty: " + found + " process(es) found");
        }
        if (cg.frozenBeforeCreate()) {
            throw new JrunException("container's cgroup unexpectedly frozen");
        }
    }

    /**
     * Writes down what this create has taken, before taking it, so that `delete --force` can undo
     * a create that was killed: which cgroup directories are new (only those are emptied and
     * removed; one that existed before may hold other processes) and, once forked, the init.
     */
    private void recordCreating(int init) throws IOException {
        if (newCgroupDirs == null) {
            newCgroupDirs = cgroup.newDirs();
        }
        ProcStat stat = init > 0 ? host.stat(init) : null;
        store.writeCreating(id, new StateStore.Creating(cgroup.paths(), newCgroupDirs.cgroups(), newCgroupDirs.parents(), init,
                stat == null ? 0 : stat.startTime(), hostMountsBefore == null ? null : bundle.rootfs().toString(),
                hostMountsBefore));
    }

    private int keep(int fd) {
        fds.add(fd);
        return fd;
    }

    static boolean hasOwnPidNamespace(Spec spec) {
        dev.jrun.spec.model.LinuxNamespace pid = spec.linux().namespace(dev.jrun.spec.linux.NamespaceType.PID.type);
        return pid != null && pid.isNew();
    }

    /** The user who created the container, by name, as runc's state and list show it ("root"). */
    static String owner() {
        String name = System.getProperty("user.name");
        if (name != null && !name.isEmpty() && !name.equals("?")) {
            return name;
        }
        // no passwd entry for us: runc shows the uid
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return "#" + line.split("\\s+")[1];
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "";
    }

    /** What create does at the executor's sync points. */
    private final class Parent implements InitConversation.Parent {
        private final Spec spec;

        Parent(Spec spec) {
            this.spec = spec;
        }

        @Override
        public void placeInCgroup(int stage1) throws JrunException {
            try {
                cgroup.addProcess(stage1);
            } catch (CgroupException e) {
                throw new JrunException(e.getMessage(), e);
            }
        }

        @Override
        public void warn(String message) {
            warn.accept(message);
        }

        @Override
        public void started(int init) throws JrunException {
            try {
                recordCreating(init);
            } catch (IOException e) {
                throw new JrunException("record the container's init in " + store.dir(id) + ": "
                        + StateStore.reason(e), e);
            }
        }

        @Override
        public void writeIdMaps(int stage1) throws JrunException {
            try {
                host.writeIdMaps(stage1, idMap(spec.linux().uidMappings()), idMap(spec.linux().gidMappings()));
            } catch (IOException e) {
                throw new JrunException("write uid/gid mappings for the user namespace: " + StateStore.reason(e), e);
            }
        }

        @Override
        public byte[] runHooks(int init) throws JrunException {
            byte[] state = StateDocuments.ociState(id, Status.CREATING, init, bundle.dir().toString(), spec.annotations());
            HookRunner hooks = new HookRunner(sys);
            try {
                hooks.runAll("prestart", spec.hooks().prestart(), state);
                hooks.runAll("createRuntime", spec.hooks().createRuntime(), state);
            } catch (HookException e) {
                throw new JrunException(e.getMessage(), e);
            }
            return state;
        }

        @Override
        public void seccompListener(int init, int fd) throws JrunException {
            State state = new State(OciVersion.CURRENT, id, Status.CREATING.word, (long) init, bundle.dir().toString(),
                    spec.annotations());
            try {
                NotifyHandoff.send(sys, spec.linux().seccomp(), state, init, fd);
            } catch (SeccompException e) {
                throw new JrunException(e.getMessage(), e);
            }
        }
    }

    private static String idMap(List<LinuxIDMapping> mappings) {
        StringBuilder sb = new StringBuilder();
        for (LinuxIDMapping m : mappings == null ? List.<LinuxIDMapping>of() : mappings) {
            sb.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return sb.toString();
    }

    /**
     * pivot_root refuses a rootfs whose parent mount is shared, which happens when the
     * config asks for shared propagation of /; runc then makes that one mount private.
     */
    private String parentMountToPrivatize(Spec spec) throws IOException {
        String propagation = spec.linux().rootfsPropagation();
        if (propagation == null || !propagation.contains("shared")) {
            return "";
        }
        return host.mountPointOf(bundle.rootfs().getParent());
    }

    /** Kills whatever was started and removes the cgroup; the caller removes the state dir. */
    private void undo() {
        if (conversation != null) {
            conversation.killAll();
        }
        if (hostMountsBefore != null) {
            try {
                HostMounts.detach(host, HostMounts.madeSince(host, bundle.rootfs(), hostMountsBefore));
            } catch (IOException | NativeException e) {
                warn.accept("remove the mounts of the failed container under " + bundle.rootfs() + ": " + e.getMessage());
            }
        }
        if (cgroup != null) {
            try {
                cgroup.destroy();
                if (newCgroupDirs != null) {
                    cgroup.removeParents(newCgroupDirs.parents());
                }
            } catch (CgroupException e) {
                warn.accept(e.getMessage());
            }
        }
    }
}
