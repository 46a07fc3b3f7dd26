package dev.jrun.runtime.container;

import dev.jrun.runtime.cgroups.CgroupException;
import dev.jrun.runtime.cgroups.CgroupManager;
import dev.jrun.runtime.checkpoint.CriuBinary;
import dev.jrun.runtime.checkpoint.CriuEvents;
import dev.jrun.runtime.checkpoint.CriuException;
import dev.jrun.runtime.checkpoint.CriuOptions;
import dev.jrun.runtime.checkpoint.CriuRequests;
import dev.jrun.runtime.checkpoint.CriuSession;
import dev.jrun.runtime.hooks.HookException;
import dev.jrun.runtime.hooks.HookRunner;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.plan.CriuMounts;
import dev.jrun.runtime.plan.InitPlan;
import dev.jrun.runtime.plan.PlanCompiler;
import dev.jrun.runtime.plan.PlanContext;
import dev.jrun.runtime.plan.PlanException;
import dev.jrun.runtime.process.Executor;
import dev.jrun.runtime.process.SyncSocket;
import dev.jrun.spec.linux.NamespaceType;
import dev.jrun.spec.model.Hooks;
import dev.jrun.spec.model.LinuxNamespace;
import dev.jrun.spec.model.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * `restore`: a new container whose process tree CRIU brings back from images.  jrun sets the
 * container up as create does where CRIU does not (state directory, cgroup and limits, hooks,
 * pid file, console), and tells CRIU where the external mounts and joined namespaces are now.
 * The executor starts CRIU inside the container's cgroup, in a mount namespace of its own where
 * the rootfs is prepared (see CriuRestoreSteps).  Like create, every resource is recorded as it
 * is taken, and a failure gives each back: nothing of a failed restore survives.
 */
final class Restorer {
    private static final String CGROUP_YARD = "criu-cgroup-yard";
    private final StateStore store;
    private final Host host;
    private final Syscalls sys;
    private final String id;
    private final Bundle bundle;
    private final RestoreOptions options;
    private final CriuOptions criuOptions;
    private final Path criu;
    private final Consumer<String> warn;
    private final Consumer<String> debug;

    private CgroupManager cgroup;
    private CgroupManager.NewDirs newCgroupDirs;
    private InitConversation conversation;
    private CriuSession session;
    private int restoredPid = -1;
    private ContainerState state;
    private final List<Integer> fds = new ArrayList<>();

    Restorer(StateStore store, Host host, String id, Bundle bundle, RestoreOptions options, CriuOptions criuOptions,
            Path criu, Consumer<String> warn, Consumer<String> debug) {
        this.store = store;
        this.host = host;
        this.sys = host.sys();
        this.id = id;
        this.bundle = bundle;
        this.options = options;
        this.criuOptions = criuOptions;
        this.criu = criu;
        this.warn = warn;
        this.debug = debug;
    }

    ContainerState restore() throws JrunException, IOException {
        Spec spec = bundle.spec();
        String idMapped = CriuMounts.idMappedRefusal(spec);
        if (idMapped != null) {
            throw new JrunException(idMapped);
        }
        // CRIU hands the restored terminal to a socket only; jrun has no terminal to proxy it to
        ConsoleRules.check(spec.process().isTerminal(), options.consoleSocket() != null, true);
        List<String> descriptors = Checkpointer.readDescriptors(criuOptions.imagePath());
        return Reservation.build(store, sys, id, fds, this::undo, () -> build(spec, descriptors));
    }

    private ContainerState build(Spec spec, List<String> descriptors) throws JrunException, IOException {
        try {
            cgroup = host.newCgroup(spec.linux().cgroupsPath(), id);
        } catch (CgroupException e) {
            throw new JrunException(e.getMessage(), e);
        }
        recordCreating(0);
        try {
            Checkpointer.prepareDirectories(new CriuOptions(criuOptions.imagePath(), criuOptions.workPath(), null,
                    false, false, false, false, false, false, false, false, null, null, false, null, -1, false, null,
                    null));
            int imagesFd = keep(sys.openReadOnly(criuOptions.imagePath().toString()));
            int workFd = criuOptions.workPath() == null ? -1 : keep(sys.openReadOnly(criuOptions.workPath().toString()));
            int[] pair = sys.seqpacketPair();
            int clientFd = pair[0];
            keep(pair[0]);
            int serverFd = keep(pair[1]);

            // CRIU's fds: 0-2 ours (the restored pipes become them), 3 the socket, then namespaces
            List<Integer> inherited = new ArrayList<>(List.of(serverFd));
            Map<String, Integer> inheritFds = new LinkedHashMap<>();
            Map<String, String> joinNs = new LinkedHashMap<>();
            namespaces(spec, inherited, inheritFds, joinNs);
            for (int i = 0; i < descriptors.size() && i < 3; i++) {
                // stdout and stderr are often one pipe: CRIU gives it the first fd listed
                if (descriptors.get(i).contains("pipe:")) {
                    inheritFds.putIfAbsent(descriptors.get(i), i);
                }
            }

            int[] executorFds = new int[inherited.size()];
            for (int i = 0; i < executorFds.length; i++) {
                executorFds[i] = inherited.get(i);
            }
            Executor executor = Executor.inheriting(executorFds);
            Host.Facts facts = host.facts();
            InitPlan plan = PlanCompiler.compileCriuRestore(spec, new PlanContext(
                    new PlanContext.Container(id, bundle.dir(), bundle.rootfs(), ""),
                    new PlanContext.Invocation(options.noPivot(), false, -1, -1),
                    new PlanContext.Host(facts.hasKcore(), cgroup.view(), facts.appArmorExecAttr(), facts.selinux(), null),
                    null), criu.toString(), List.of("criu", "swrk", "3"), Checkpointer.environment());
            if (debug != null) {
                for (String step : plan.render().split("\n")) {
                    debug.accept("restore " + id + ": plan: " + step);
                }
            }
            Executor.Started started = host.startExecutor(executor);
            conversation = new InitConversation(sys, plan, started.pid());
            try (SyncSocket socket = started.socket()) {
                conversation.sendPlan(socket);
                try {
                    cgroup.create(spec.linux().resources());
                    cgroup.apply(spec.linux().resources());
                } catch (CgroupException e) {
                    throw new JrunException(e.getMessage(), e);
                }
                conversation.run(socket, new Parent());
            }
            // CRIU alone holds the server end now: if it dies, our end reads end-of-file
            closeNow(serverFd);
            int criuPid = conversation.child();
            handOver(clientFd);
            session = new CriuSession(sys, clientFd, criuPid);

            Map<String, String> extMounts = new LinkedHashMap<>();
            CriuMounts.external(spec, bundle.dir(), cgroup.view()).forEach(extMounts::putIfAbsent);
            if (!CriuMounts.masked(spec).isEmpty()) {
                extMounts.putIfAbsent(CriuMounts.NULL_DEVICE, CriuMounts.NULL_DEVICE);
            }
            CriuRequests.Restore request = new CriuRequests.Restore(bundle.rootfs().toString(), imagesFd, workFd,
                    extMounts, joinNs, inheritFds, cgroupRoots(criuPid), cgroupYard().toString(),
                    Checkpointer.configFile(spec), criuOptions);
            int pid;
            try {
                pid = session.restore(request, new Events(spec));
            } catch (CriuException e) {
                throw Checkpointer.failure(e, criu, criuOptions, CriuRequests.RESTORE_LOG);
            }
            conversation = null; // CRIU is reaped; the restored init is not the executor's
            removeYard();
            if (state == null) {
                recordRestored(spec, pid);
            }
            return state;
        } catch (NativeException e) {
            throw new JrunException(e.getMessage(), e);
        } catch (PlanException e) {
            throw new JrunException(bundle.configFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Namespaces given by path: network and pid ones were left out of the images and are handed
     * to CRIU as fds under runc's keys; the others CRIU joins itself.
     */
    private void namespaces(Spec spec, List<Integer> inherited, Map<String, Integer> inheritFds,
            Map<String, String> joinNs) throws JrunException, NativeException {
        for (LinuxNamespace ns : spec.linux().namespaces() == null ? List.<LinuxNamespace>of()
                : spec.linux().namespaces()) {
            if (ns.path() == null || ns.path().isEmpty()) {
                continue;
            }
            NamespaceType t = NamespaceType.of(ns.type());
            if (t == NamespaceType.NETWORK || t == NamespaceType.PID) {
                int fd;
                try {
                    fd = keep(sys.openReadOnly(ns.path()));
                } catch (NativeException e) {
                    throw new JrunException("Requested " + t.type + " namespace " + ns.path() + " does not exist", e);
                }
                inherited.add(fd);
                inheritFds.put(Checkpointer.externalKey(t), 3 + inherited.size() - 1);
            } else if (t == NamespaceType.CGROUP) {
                throw new JrunException("restore cannot join the cgroup namespace " + ns.path()
                        + ": CRIU does not handle a cgroup namespace given by path");
            } else if (t != null) {
                joinNs.put(Checkpointer.criuName(t), ns.path());
            }
        }
    }

    /**
     * CRIU mounts the cgroup hierarchies it restores into under a directory of its work
     * directory, which it reaches through our fd: a path of the host's mount namespace, where
     * CRIU, in its own, cannot mount.  A directory named by path resolves in CRIU's namespace,
     * so its mounts stay there; what the host sees is empty directories, removed afterwards.
     */
    private Path cgroupYard() throws IOException {
        Path yard = store.dir(id).resolve(CGROUP_YARD);
        Files.createDirectories(yard);
        return yard;
    }

    /** Where CRIU (started in the container's cgroup) is, per controller: the processes go there. */
    private static Map<String, String> cgroupRoots(int criuPid) throws IOException {
        Map<String, String> roots = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(criuPid), "cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                continue;
            }
            for (String controller : parts[1].split(",", -1)) {
                roots.put(controller, parts[2]);
            }
        }
        return roots;
    }

    /** What restore does when CRIU stops to let it act. */
    private final class Events implements CriuEvents {
        private final Spec spec;

        Events(Spec spec) {
            this.spec = spec;
        }

        @Override
        public void setupNamespaces(int pid) throws CriuException {
            Hooks h = spec.hooks();
            if (h == null) {
                return;
            }
            byte[] ociState = StateDocuments.ociState(id, Status.CREATING, pid, bundle.dir().toString(),
                    spec.annotations());
            HookRunner hooks = new HookRunner(sys);
            try {
                hooks.runAll("prestart", h.prestart(), ociState);
                hooks.runAll("createRuntime", h.createRuntime(), ociState);
            } catch (HookException e) {
                throw new CriuException(e.getMessage(), e);
            }
        }

        @Override
        public void postRestore(int pid) throws CriuException {
            restoredPid = pid;
            try {
                recordRestored(spec, pid);
            } catch (JrunException | IOException e) {
                throw new CriuException(e.getMessage(), e);
            }
        }

        @Override
        public void orphanPtsMaster(int fd) throws CriuException {
            if (options.consoleSocket() == null) {
                return;
            }
            int socket = -1;
            try {
                socket = sys.connectUnix(options.consoleSocket().toString());
                sys.sendWithFd(socket, "/dev/ptmx".getBytes(StandardCharsets.UTF_8), fd);
            } catch (NativeException e) {
                throw new CriuException("send the terminal to " + options.consoleSocket() + ": " + e.getMessage(), e);
            } finally {
                sys.close(socket);
            }
        }
    }

    /** The restored container becomes a normal one: state, config snapshot, pid file. */
    private void recordRestored(Spec spec, int pid) throws JrunException, IOException {
        restoredPid = pid;
        ProcStat stat = host.stat(pid);
        if (stat == null) {
            throw new JrunException("the restored init (pid " + pid + ") exited during restore");
        }
        Hooks hooks = spec.hooks();
        ContainerState s = new ContainerState(id, pid, stat.startTime(), bundle.dir().toString(),
                bundle.rootfs().toString(), Timestamps.now(), Creator.owner(), spec.annotations(), cgroup.paths(),
                hooks != null && hooks.poststart() != null && !hooks.poststart().isEmpty(),
                hooks != null && hooks.poststop() != null && !hooks.poststop().isEmpty(), null,
                !Creator.hasOwnPidNamespace(spec), newCgroupDirs.parents());
        store.writeFile(id, StateStore.CONFIG, snapshot(spec, pid));
        store.write(s);
        store.removeCreating(id);
        if (options.pidFile() != null) {
            PidFile.write(options.pidFile(), pid);
        }
        state = s;
    }

    /**
     * The config as create would snapshot it, except that CRIU restores the processes into a
     * time namespace of their own (keeping their monotonic clocks) when the config has none:
     * as runc does, it is added, so `exec` joins it too.
     */
    private byte[] snapshot(Spec spec, int pid) {
        if (spec.linux().hasNamespace(NamespaceType.TIME.type) || !ownTimeNamespace(pid)) {
            return bundle.configBytes();
        }
        dev.jrun.spec.model.Linux l = spec.linux();
        List<LinuxNamespace> namespaces = new ArrayList<>(l.namespaces() == null ? List.of() : l.namespaces());
        namespaces.add(new LinuxNamespace(NamespaceType.TIME.type, null));
        Spec withTime = new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), spec.domainname(),
                spec.mounts(), spec.hooks(), spec.annotations(), new dev.jrun.spec.model.Linux(l.uidMappings(),
                        l.gidMappings(), l.sysctl(), l.resources(), l.cgroupsPath(), namespaces, l.devices(),
                        l.netDevices(), l.seccomp(), l.rootfsPropagation(), l.maskedPaths(), l.readonlyPaths(),
                        l.mountLabel(), l.intelRdt(), l.memoryPolicy(), l.personality(), l.timeOffsets()));
        return dev.jrun.spec.SpecWriter.write(withTime, dev.jrun.spec.json.JsonStyle.COMPACT);
    }

    private static boolean ownTimeNamespace(int pid) {
        try {
            return !Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "ns", "time"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/time")));
        } catch (IOException e) {
            return false; // a kernel without time namespaces
        }
    }

    /** As create records it, so `delete --force` can undo a restore that was killed. */
    private void recordCreating(int pid) throws IOException {
        if (newCgroupDirs == null) {
            newCgroupDirs = cgroup.newDirs();
        }
        ProcStat stat = pid > 0 ? host.stat(pid) : null;
        store.writeCreating(id, new StateStore.Creating(cgroup.paths(), newCgroupDirs.cgroups(), newCgroupDirs.parents(), pid,
                stat == null ? 0 : stat.startTime(), null, null));
    }

    /** The executor's sync points: it joins the cgroup, then becomes CRIU. */
    private final class Parent implements InitConversation.Parent {
        @Override
        public void placeInCgroup(int stage1) throws JrunException {
            try {
                cgroup.addProcess(stage1);
            } catch (CgroupException e) {
                throw new JrunException(e.getMessage(), e);
            }
        }

        @Override
        public void started(int criuPid) throws JrunException {
            try {
                recordCreating(criuPid);
            } catch (IOException e) {
                throw new JrunException("record CRIU's pid in " + store.dir(id) + ": " + StateStore.reason(e), e);
            }
        }

        @Override
        public void seccompListener(int pid, int fd) throws JrunException {
            throw new JrunException("unexpected seccomp listener from jrun-init during restore");
        }
    }

    private void removeYard() {
        Path yard = store.dir(id).resolve(CGROUP_YARD);
        try (java.util.stream.Stream<Path> walk = Files.walk(yard)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            warn.accept("remove " + yard + ": " + StateStore.reason(e));
        }
    }

    private int keep(int fd) {
        fds.add(fd);
        return fd;
    }

    private void closeNow(int fd) {
        fds.remove(Integer.valueOf(fd));
        sys.close(fd);
    }

    /** The fd now belongs to something else that closes it. */
    private void handOver(int fd) {
        fds.remove(Integer.valueOf(fd));
    }

    /** Kills CRIU and whatever it restored, and removes the cgroup; the caller removes the state dir. */
    private void undo() {
        if (session != null) {
            session.close();
        }
        if (conversation != null) {
            conversation.killAll();
        }
        if (restoredPid > 0) {
            try {
                sys.kill(restoredPid, 9);
                sys.waitpid(restoredPid, false);
            } catch (NativeException e) {
                // gone already
            }
        }
        if (cgroup != null) {
            try {
                for (int i = 0; i < 100 && !cgroup.pids().isEmpty(); i++) {
                    if (!cgroup.killAll()) {
                        for (int pid : cgroup.pids()) {
                            try {
                                sys.kill(pid, 9);
                            } catch (NativeException e) {
                                // exited meanwhile
                            }
                        }
                    }
                    Thread.sleep(2);
                }
                cgroup.destroy();
                if (newCgroupDirs != null) {
                    cgroup.removeParents(newCgroupDirs.parents());
                }
            } catch (CgroupException e) {
                warn.accept(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
