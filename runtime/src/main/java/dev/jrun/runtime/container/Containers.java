package dev.jrun.runtime.container;

import dev.jrun.runtime.cgroups.CgroupException;
import dev.jrun.runtime.cgroups.CgroupManager;
import dev.jrun.runtime.hooks.HookException;
import dev.jrun.runtime.hooks.HookRunner;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.process.ForegroundProcess;
import dev.jrun.spec.SpecException;
import dev.jrun.spec.SpecReader;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The container operations of one state root, as runc's commands expose them.  Each call is
 * a fresh JVM, so each operation touches only what it needs: `state` and `start` never load
 * the native layer or the config model unless the container has hooks.
 */
public final class Containers {
    private final StateStore store;
    private final Host host;
    private final Consumer<String> warn;
    private final Consumer<String> debug;

    /**
     * @param warn where non-fatal problems go (the CLI's log)
     * @param debug where --debug detail goes (the executor's plans), or null when not wanted
     */
    public Containers(Path root, Consumer<String> warn, Consumer<String> debug) {
        this(root, new LinuxHost(), warn, debug);
    }

    public Containers(Path root, Host host, Consumer<String> warn, Consumer<String> debug) {
        this.store = new StateStore(root);
        this.host = host;
        this.warn = warn;
        this.debug = debug;
    }


    public StateStore store() {
        return store;
    }

    /** A container's stored state and its current status. */
    public record View(ContainerState state, Status status) {
    }

    public View state(String id) throws JrunException, IOException {
        StateStore.checkId(id);
        ContainerState s = store.read(id);
        return new View(s, StatusProbe.status(host, s, store.dir(id)));
    }

    public List<View> list() throws IOException {
        List<View> views = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                views.add(state(id));
            } catch (JrunException e) {
                // deleted while we listed it
            }
        }
        return views;
    }

    public ContainerState create(String id, CreateOptions options) throws JrunException, IOException {
        StateStore.checkId(id);
        Bundle bundle = Bundle.load(options.bundle());
        bundle.warnings().forEach(warn);
        return new Creator(store, host, id, bundle, options, -1, warn, debug).create();
    }

    /**
     * `run`: create and start; unless detached, wait in the foreground (signals forwarded, the
     * tty proxied when there is no console socket) and delete afterwards unless told to keep.
     *
     * @return the container's shell-style exit status (0 when detached)
     */
    public int run(String id, CreateOptions options, boolean detach, boolean keep) throws JrunException, IOException {
        StateStore.checkId(id);
        Bundle bundle = Bundle.load(options.bundle());
        bundle.warnings().forEach(warn);
        Syscalls sys = host.sys();
        boolean proxyTty = !detach && bundle.spec().process().isTerminal() && options.consoleSocket() == null;
        int[] console = null;
        try {
            if (proxyTty) {
                console = sys.socketPair();
            }
            ContainerState s = new Creator(store, host, id, bundle, options, console == null ? -1 : console[1], warn,
                    debug).create();
            if (detach) {
                startOrDelete(id);
                return 0;
            }
            ForegroundProcess fg = host.foreground(s.pid(), console);
            fg.forwardSignals();
            startOrDelete(id);
            fg.attachTerminal();
            int status = fg.waitForExit();
            if (!keep) {
                delete(id, true);
            }
            return status;
        } catch (NativeException e) {
            throw new JrunException(e.getMessage(), e);
        } finally {
            if (console != null) {
                sys.close(console[0]);
                sys.close(console[1]);
            }
        }
    }

    private void startOrDelete(String id) throws JrunException, IOException {
        try {
            start(id);
        } catch (JrunException | IOException e) {
            try {
                delete(id, true);
            } catch (JrunException | IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    public void start(String id) throws JrunException, IOException {
        ContainerState s;
        try (StateStore.Lock lock = store.lock(id)) {
            s = store.read(id);
            Status status = StatusProbe.status(host, s, store.dir(id));
            switch (status) {
                case CREATED -> { }
                case STOPPED -> throw new JrunException("cannot start a container that has stopped");
                case RUNNING -> throw new JrunException("cannot start an already running container");
                default -> throw new JrunException("cannot start a container in the " + status.word + " state");
            }
            Path fifo = store.dir(id).resolve(StateStore.FIFO);
            // O_RDWR never blocks on a FIFO; the init holds the only reader and takes the byte
            try (RandomAccessFile f = new RandomAccessFile(fifo.toFile(), "rw")) {
                f.write('0');
            }
            Files.delete(fifo);
        }
        if (s.poststartHooks()) {
            // runtime.md: poststart hooks run after the user-specified process is executed; the
            // byte above only releases the init, which still has to take it and execve
            awaitExecuted(s.pid());
            Spec spec = snapshot(id);
            byte[] state = StateDocuments.ociState(id, Status.RUNNING, s.pid(), s.bundle(), s.annotations());
            try {
                new HookRunner(host.sys()).runAll("poststart", spec.hooks().poststart(), state);
            } catch (HookException e) {
                // runtime.md (1.3) and runc 1.2+: a failed poststart hook fails start and stops the container
                try (StateStore.Lock lock = store.lock(id)) {
                    killAndWait(store.read(id));
                } catch (JrunException | IOException stopping) {
                    warn.accept("stop the container after its poststart hook failed: " + stopping.getMessage());
                }
                throw new JrunException(e.getMessage(), e);
            }
        }
    }

    /** Waits (up to 2 s) until pid no longer runs jrun-init: it executed the program, or is gone. */
    private void awaitExecuted(int pid) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (host.runsExecutor(pid) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            sleep(1);
        }
    }

    /** The config the container was created from (the bundle may have changed since). */
    Spec snapshot(String id) throws JrunException {
        Path file = store.dir(id).resolve(StateStore.CONFIG);
        try {
            return SpecReader.readConfig(file);
        } catch (SpecException e) {
            throw new JrunException("config snapshot of container \"" + id + "\" (" + file + "): " + e.getMessage(), e);
        }
    }

    /**
     * As runc: with --all, or when the container has no pid namespace of its own (its init's
     * death takes no other process with it), every process of its cgroup gets the signal, even
     * after the init has exited; otherwise the init does.  Signal 0 only probes.
     */
    public void kill(String id, int signal, boolean all) throws JrunException, IOException {
        try (StateStore.Lock lock = store.lock(id)) {
            ContainerState s = store.read(id);
            Status status = StatusProbe.status(host, s, store.dir(id));
            if (all || s.sharedPidNamespace()) {
                if (!signalCgroup(s, signal) && status == Status.STOPPED) {
                    throw new JrunException("container not running");
                }
                return;
            }
            if (status == Status.STOPPED) {
                throw new JrunException("container not running");
            }
            if (!send(s.pid(), signal)) {
                throw new JrunException("no such process");
            }
        }
    }

    private static final int SIGKILL = 9;

    /** Signals every process of the container's cgroup; false if it has none. */
    private boolean signalCgroup(ContainerState s, int signal) throws JrunException {
        try {
            CgroupManager cg = host.cgroup(s.cgroupPaths());
            List<Integer> pids = cg.pids();
            if (pids.isEmpty()) {
                return false;
            }
            if (signal == SIGKILL && cg.killAll()) {
                return true;
            }
            for (int pid : pids) {
                send(pid, signal); // one that exited meanwhile is no error
            }
            // a frozen process only acts on a signal once thawed; runc thaws for SIGKILL
            if (signal == SIGKILL && cg.isFrozen()) {
                cg.setFrozen(false);
            }
            return true;
        } catch (CgroupException e) {
            throw new JrunException(e.getMessage(), e);
        }
    }

    /** @return false if the process does not exist */
    private boolean send(int pid, int signal) throws JrunException {
        try {
            return host.signal(pid, signal);
        } catch (NativeException e) {
            throw new JrunException(e.getMessage(), e);
        }
    }

    public void delete(String id, boolean force) throws JrunException, IOException {
        try (StateStore.Lock lock = store.lockAny(id)) {
            if (!store.exists(id)) {
                // as runc: the directory goes, and the container still "does not exist" (--force: success)
                removeHalfMade(id);
                throw JrunException.notFound(id);
            }
            ContainerState s = store.read(id);
            Status status = StatusProbe.status(host, s, store.dir(id));
            switch (status) {
                case STOPPED -> { }
                // runc deletes a created container unforced; runtime.md#delete says it MUST NOT,
                // and no manager relies on runc's way (podman forces, containerd's client kills
                // a created task before deleting it)
                default -> {
                    if (!force) {
                        throw new JrunException("cannot delete container " + id + " that is not stopped: " + status.word);
                    }
                    killAndWait(s);
                }
            }
            destroy(s);
        }
    }

    private void killAndWait(ContainerState s) throws JrunException, IOException {
        signalCgroup(s, SIGKILL);
        send(s.pid(), SIGKILL); // in case the init is not where its cgroup says
        for (int i = 0; i < 5000 && StatusProbe.initAlive(host, s); i++) {
            sleep(1);
        }
        if (StatusProbe.initAlive(host, s)) {
            throw new JrunException("container init (pid " + s.pid() + ") did not die after SIGKILL");
        }
    }

    /**
     * What a create killed before it wrote state.json left: its init (if its start time says
     * it is still the same process), the cgroup directories it made, and the directory.
     */
    private void removeHalfMade(String id) throws JrunException, IOException {
        StateStore.Creating c = store.readCreating(id);
        if (c != null) {
            if (c.pid() > 0) {
                ProcStat stat = host.stat(c.pid());
                if (stat != null && stat.startTime() == c.pidStartTime()) {
                    send(c.pid(), SIGKILL);
                }
            }
            if (c.sharedRootfs() != null) {
                try {
                    HostMounts.detach(host, HostMounts.madeSince(host, Path.of(c.sharedRootfs()), c.hostMountsBefore()));
                } catch (NativeException e) {
                    throw new JrunException("remove the container's mounts under " + c.sharedRootfs() + ": "
                            + e.getMessage(), e);
                }
            }
            if (!c.newCgroupPaths().isEmpty()) {
                try {
                    CgroupManager cg = host.cgroup(c.newCgroupPaths());
                    emptyAndRemove(cg);
                    cg.removeParents(c.newCgroupParents());
                } catch (CgroupException e) {
                    throw new JrunException(e.getMessage(), e);
                }
            }
        }
        store.remove(id);
    }

    /** Removes the cgroup, any mounts in the caller's namespace, and the state; runs poststop hooks (failures are warnings). */
    private void destroy(ContainerState s) throws JrunException, IOException {
        try {
            HostMounts.detach(host, s.hostMounts());
        } catch (NativeException e) {
            throw new JrunException("remove the container's mounts under " + s.rootfs() + ": " + e.getMessage(), e);
        }
        try {
            CgroupManager cg = host.cgroup(s.cgroupPaths());
            emptyAndRemove(cg);
            cg.removeParents(s.cgroupParents());
        } catch (CgroupException e) {
            throw new JrunException(e.getMessage(), e);
        }
        if (s.poststopHooks()) {
            Spec spec = snapshot(s.id());
            byte[] state = StateDocuments.ociState(s.id(), Status.STOPPED, 0, s.bundle(), s.annotations());
            new HookRunner(host.sys()).runAllWarn("poststop", spec.hooks().poststop(), state).forEach(warn);
        }
        store.remove(s.id());
    }

    /** Stragglers that outlived the init (no pid namespace) must not keep the cgroup alive. */
    private void emptyAndRemove(CgroupManager cg) throws JrunException, CgroupException {
        for (int i = 0; i < 100 && !cg.pids().isEmpty(); i++) {
            for (int pid : cg.pids()) {
                send(pid, SIGKILL);
            }
            sleep(2);
        }
        cg.destroy();
    }

    /**
     * `exec`: runs a process in the running container and, unless detached, waits for it.
     *
     * @param process the process of `--process FILE`, or null to derive it from the container's
     *     own process and {@code flags}
     * @param source the file the process came from, for error messages
     * @return the process's shell-style exit status (0 when detached)
     */
    public int exec(String id, Process process, String source, ExecProcess flags, ExecOptions options)
            throws JrunException, IOException {
        StateStore.checkId(id);
        ContainerState s = store.read(id);
        Status status = StatusProbe.status(host, s, store.dir(id));
        if (status == Status.STOPPED) {
            throw new JrunException("cannot exec in a stopped container");
        }
        if (status == Status.PAUSED && !options.ignorePaused()) {
            throw new JrunException("cannot exec in a paused container (use --ignore-paused to override)");
        }
        Spec spec = snapshot(id);
        Process p = process != null ? process : flags.applyTo(spec.process());
        dev.jrun.spec.validate.Report report = dev.jrun.spec.validate.Validator.validateProcess(p,
                process != null ? source : "exec");
        if (report.hasErrors()) {
            throw new JrunException(report.errorText());
        }
        for (dev.jrun.spec.Problem w : report.warnings()) {
            warn.accept(w.toString());
        }
        dev.jrun.runtime.seccomp.SeccompCompiler.Result seccomp;
        try {
            // runc gives exec'd processes the container's filter too
            seccomp = dev.jrun.runtime.seccomp.SeccompCompiler.compile(spec.linux().seccomp());
        } catch (dev.jrun.runtime.seccomp.SeccompException e) {
            throw new JrunException(e.getMessage(), e);
        }
        return new Execer(store, host, id, options, warn, debug).exec(s, spec, p, seccomp == null ? null : seccomp.program());
    }

    public void pause(String id) throws JrunException, IOException {
        try (StateStore.Lock lock = store.lock(id)) {
            ContainerState s = store.read(id);
            Status status = StatusProbe.status(host, s, store.dir(id));
            if (status != Status.RUNNING && status != Status.CREATED) {
                throw new JrunException("container not running");
            }
            host.cgroup(s.cgroupPaths()).setFrozen(true);
        } catch (CgroupException e) {
            throw new JrunException(e.getMessage(), e);
        }
    }

    public void resume(String id) throws JrunException, IOException {
        try (StateStore.Lock lock = store.lock(id)) {
            ContainerState s = store.read(id);
            if (StatusProbe.status(host, s, store.dir(id)) != Status.PAUSED) {
                throw new JrunException("container not paused");
            }
            host.cgroup(s.cgroupPaths()).setFrozen(false);
        } catch (CgroupException e) {
            throw new JrunException(e.getMessage(), e);
        }
    }

    /** The host pids of every process in the container's cgroup. */
    public List<Integer> pids(String id) throws JrunException, IOException {
        ContainerState s = store.read(id);
        try {
            return host.cgroup(s.cgroupPaths()).pids();
        } catch (CgroupException e) {
            throw new JrunException(e.getMessage(), e);
        }
    }

    /**
     * Applies an update to the running container's cgroup, and records the merged result in
     * the config snapshot so the next update (and exec) starts from it.
     */
    public void update(String id, dev.jrun.spec.model.LinuxResources update) throws JrunException, IOException {
        try (StateStore.Lock lock = store.lock(id)) {
            ContainerState s = store.read(id);
            if (StatusProbe.status(host, s, store.dir(id)) == Status.STOPPED) {
                throw new JrunException("container not running");
            }
            Spec spec = snapshot(id);
            dev.jrun.spec.model.LinuxResources merged = ResourcesUpdate.merge(spec.linux().resources(), update);
            dev.jrun.spec.validate.Report report = dev.jrun.spec.validate.Validator.validateResources(merged,
                    "resources");
            if (report.hasErrors()) {
                throw new JrunException(report.errorText());
            }
            host.cgroup(s.cgroupPaths()).update(merged);
            dev.jrun.spec.model.Linux l = spec.linux();
            Spec updated = new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), spec.domainname(),
                    spec.mounts(), spec.hooks(), spec.annotations(), new dev.jrun.spec.model.Linux(l.uidMappings(),
                            l.gidMappings(), l.sysctl(), merged, l.cgroupsPath(), l.namespaces(), l.devices(),
                            l.netDevices(), l.seccomp(), l.rootfsPropagation(), l.maskedPaths(), l.readonlyPaths(),
                            l.mountLabel(), l.intelRdt(), l.memoryPolicy(), l.personality(), l.timeOffsets()));
            store.writeFile(id, StateStore.CONFIG,
                    dev.jrun.spec.SpecWriter.write(updated, dev.jrun.spec.json.JsonStyle.COMPACT));
        } catch (CgroupException e) {
            throw new JrunException(e.getMessage(), e);
        }
    }

    /** The flag form of `update`. */
    public static dev.jrun.spec.model.LinuxResources resourcesFromFlags(java.util.Map<String, String> flags)
            throws JrunException {
        return ResourcesUpdate.fromFlags(flags);
    }

    public dev.jrun.runtime.cgroups.CgroupStats stats(String id) throws JrunException, IOException {
        ContainerState s = store.read(id);
        if (StatusProbe.status(host, s, store.dir(id)) == Status.STOPPED) {
            throw new JrunException("container not running");
        }
        try {
            return host.cgroup(s.cgroupPaths()).stats();
        } catch (CgroupException e) {
            throw new JrunException(e.getMessage(), e);
        }
    }

    /**
     * `checkpoint`: CRIU dumps the container into options.imagePath(); unless it is left
     * running (or only pre-dumped) the container is then gone, and deleted as `delete` would.
     *
     * @param criu the global --criu value, or null
     */
    public void checkpoint(String id, dev.jrun.runtime.checkpoint.CriuOptions options, String criu)
            throws JrunException, IOException {
        try {
            dev.jrun.runtime.checkpoint.CriuRequests.validate(options);
        } catch (dev.jrun.runtime.checkpoint.CriuException e) {
            throw new JrunException(e.getMessage(), e);
        }
        try (StateStore.Lock lock = store.lock(id)) {
            ContainerState s = store.read(id);
            Status status = StatusProbe.status(host, s, store.dir(id));
            if (status == Status.CREATED || status == Status.STOPPED) {
                throw new JrunException("Container cannot be checkpointed in " + status.word + " state");
            }
            new Checkpointer(host, warn).checkpoint(s, snapshot(id), options, criu);
        }
        if (!options.leaveRunning() && !options.preDump()) {
            try {
                delete(id, true);
            } catch (JrunException | IOException e) {
                warn.accept("checkpointed, but the container was not deleted: " + e.getMessage());
            }
        }
    }

    /**
     * `restore`: a new container with this id from the bundle, its processes restored by CRIU
     * from options.imagePath().  Unless detached, waits for it to exit (signals forwarded) and
     * deletes it.
     *
     * @return the container's shell-style exit status (0 when detached)
     */
    public int restore(String id, RestoreOptions restore, dev.jrun.runtime.checkpoint.CriuOptions options,
            String criu) throws JrunException, IOException {
        StateStore.checkId(id);
        try {
            dev.jrun.runtime.checkpoint.CriuRequests.validate(options);
        } catch (dev.jrun.runtime.checkpoint.CriuException e) {
            throw new JrunException(e.getMessage(), e);
        }
        java.nio.file.Path criuPath = dev.jrun.runtime.checkpoint.CriuBinary.find(criu);
        if (criuPath == null) {
            throw new JrunException(dev.jrun.runtime.checkpoint.CriuBinary.missing(criu));
        }
        Bundle bundle = Bundle.load(restore.bundle());
        bundle.warnings().forEach(warn);
        ContainerState s = new Restorer(store, host, id, bundle, restore, options, criuPath, warn, debug).restore();
        if (restore.detach()) {
            return 0;
        }
        try {
            ForegroundProcess fg = host.foreground(s.pid(), null);
            fg.forwardSignals();
            int status = fg.waitForExit();
            delete(id, true);
            return status;
        } catch (NativeException e) {
            throw new JrunException(e.getMessage(), e);
        }
    }

    /** Whether the container is still there and not stopped (for `events` to know when to end). */
    public boolean alive(String id) throws IOException {
        try {
            return state(id).status() != Status.STOPPED;
        } catch (JrunException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
