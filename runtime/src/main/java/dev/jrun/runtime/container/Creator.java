package dev.jrun.runtime.container;

import dev.jrun.runtime.cgroups.CgroupException;
import dev.jrun.runtime.cgroups.CgroupHost;
import dev.jrun.runtime.cgroups.CgroupManager;
import dev.jrun.runtime.hooks.HookException;
import dev.jrun.runtime.hooks.HookRunner;
import dev.jrun.runtime.linux.Errno;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.plan.InitPlan;
import dev.jrun.runtime.plan.PlanCompiler;
import dev.jrun.runtime.plan.PlanContext;
import dev.jrun.runtime.plan.PlanException;
import dev.jrun.runtime.process.Executor;
import dev.jrun.runtime.process.SyncSocket;
import dev.jrun.runtime.process.Wire;
import dev.jrun.spec.model.Hooks;
import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.spec.model.Spec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `create`: from a loaded bundle to an init parked on exec.fifo.  Every resource it takes is
 * recorded as it is taken, so a failure at any step undoes exactly what was done: no state
 * directory, cgroup, process or fd survives a failed create.
 */
final class Creator {
    private final StateStore store;
    private final Syscalls sys;
    private final String id;
    private final Bundle bundle;
    private final CreateOptions options;
    private final int internalConsoleFd;

    private CgroupManager cgroup;
    private int stage1 = -1;
    private int init = -1;
    private final List<Integer> fds = new ArrayList<>();

    /**
     * @param internalConsoleFd our end of a console socket `run` made itself (a tty proxied by
     *     jrun), or -1
     */
    Creator(StateStore store, Syscalls sys, String id, Bundle bundle, CreateOptions options, int internalConsoleFd) {
        this.store = store;
        this.sys = sys;
        this.id = id;
        this.bundle = bundle;
        this.options = options;
        this.internalConsoleFd = internalConsoleFd;
    }

    ContainerState create() throws JrunException, IOException {
        Spec spec = bundle.spec();
        if (spec.process().isTerminal() && options.consoleSocket() == null && internalConsoleFd < 0) {
            throw new JrunException("cannot allocate tty if jrun will detach without setting console socket");
        }
        if (!spec.process().isTerminal() && options.consoleSocket() != null) {
            throw new JrunException("cannot use console socket if jrun will not detach or allocate tty");
        }
        StateStore.Lock lock = store.reserve(id);
        boolean done = false;
        try {
            ContainerState state = build(spec);
            done = true;
            return state;
        } finally {
            if (!done) {
                undo();
            }
            for (int fd : fds) {
                sys.close(fd);
            }
            lock.close();
            if (!done) {
                store.remove(id);
            }
        }
    }

    private ContainerState build(Spec spec) throws JrunException, IOException {
        Path dir = store.dir(id);
        try {
            cgroup = CgroupManager.forNewContainer(CgroupHost.detect(), spec.linux().cgroupsPath(), id);
            cgroup.create(spec.linux().resources());
            cgroup.apply(spec.linux().resources());
        } catch (CgroupException e) {
            throw new JrunException(e.getMessage(), e);
        }
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
            InitPlan plan = PlanCompiler.compile(spec, new PlanContext(id, bundle.dir(), bundle.rootfs(),
                    parentMountToPrivatize(spec), options.noPivot(), options.noNewKeyring(), consoleChild, fifoChild,
                    Files.exists(Path.of("/proc/kcore")), cgroup.view(), HostLsm.appArmorExecAttr(),
                    HostLsm.selinuxEnabled(), null));
            Executor.Started started = executor.start(sys);
            stage1 = started.pid();
            try (SyncSocket socket = started.socket()) {
                socket.send(Wire.MSG_PLAN, plan.encode());
                converse(spec, plan, socket);
            }
            ProcStat stat = ProcStat.read(init);
            if (stat == null) {
                throw new JrunException("container init (pid " + init + ") exited during create");
            }
            Hooks hooks = spec.hooks();
            ContainerState state = new ContainerState(id, init, stat.startTime(), bundle.dir().toString(),
                    bundle.rootfs().toString(), Timestamps.now(), "", spec.annotations(), cgroup.paths(),
                    hooks != null && hooks.poststart() != null && !hooks.poststart().isEmpty(),
                    hooks != null && hooks.poststop() != null && !hooks.poststop().isEmpty());
            Files.write(dir.resolve(StateStore.CONFIG), bundle.configBytes());
            store.write(state);
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

    private int keep(int fd) {
        fds.add(fd);
        return fd;
    }

    /** Answers the executor's sync points until it reports the container created. */
    private void converse(Spec spec, InitPlan plan, SyncSocket socket) throws JrunException, NativeException {
        while (true) {
            SyncSocket.Message msg;
            try {
                msg = socket.receive();
            } catch (NativeException e) {
                throw new JrunException("container init exited before it was created"
                        + (init > 0 ? "" : " (while setting up namespaces)"));
            }
            switch (msg.type()) {
                case Wire.MSG_SYNC -> sync(spec, socket, msg.buffer().getInt());
                case Wire.MSG_CHILD_PID -> {
                    init = msg.buffer().getInt();
                    sys.waitpid(stage1, false);
                    stage1 = -1;
                }
                case Wire.MSG_ERROR -> throw executorError(plan, msg);
                case Wire.MSG_CREATED -> {
                    return;
                }
                default -> throw new JrunException("unexpected message " + msg.type() + " from jrun-init");
            }
        }
    }

    private void sync(Spec spec, SyncSocket socket, int tag) throws JrunException, NativeException {
        byte[] reply = new byte[0];
        switch (tag) {
            case Wire.SYNC_CGROUP -> {
                try {
                    cgroup.addProcess(stage1);
                } catch (CgroupException e) {
                    throw new JrunException(e.getMessage(), e);
                }
            }
            case Wire.SYNC_USERNS -> writeIdMaps(spec);
            case Wire.SYNC_HOOKS -> {
                reply = StateDocuments.ociState(id, Status.CREATING, init, bundle.dir().toString(), spec.annotations());
                HookRunner hooks = new HookRunner(sys);
                try {
                    hooks.runAll("prestart", spec.hooks().prestart(), reply);
                    hooks.runAll("createRuntime", spec.hooks().createRuntime(), reply);
                } catch (HookException e) {
                    throw new JrunException(e.getMessage(), e);
                }
            }
            default -> throw new JrunException("unexpected sync " + tag + " from jrun-init");
        }
        socket.send(Wire.MSG_ACK, reply);
    }

    /** The parent writes the maps while the executor waits inside its new user namespace. */
    private void writeIdMaps(Spec spec) throws JrunException {
        Path proc = Path.of("/proc", Integer.toString(stage1));
        try {
            Files.writeString(proc.resolve("uid_map"), idMap(spec.linux().uidMappings()));
            Files.writeString(proc.resolve("gid_map"), idMap(spec.linux().gidMappings()));
        } catch (IOException e) {
            throw new JrunException("write uid/gid mappings for the user namespace: " + e.getMessage(), e);
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
     * "description: detail: errno in words", e.g. `mount /proc on /b/rootfs/proc: permission
     * denied`; the executor's detail names a sub-step when the step itself is not what failed.
     */
    static JrunException executorError(InitPlan plan, SyncSocket.Message msg) {
        ByteBuffer b = msg.buffer();
        int step = b.getInt();
        int errno = b.getInt();
        String detail = new String(msg.payload(), 8, msg.payload().length - 8, StandardCharsets.UTF_8);
        String description = plan.describe(step);
        StringBuilder text = new StringBuilder(description);
        if (!detail.isEmpty()) {
            text.append(text.length() == 0 ? "" : ": ").append(detail);
        }
        String words = Errno.describe(errno);
        if (errno != 0 && !detail.endsWith(words)) {
            text.append(": ").append(words);
        }
        return new JrunException(text.toString());
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
        return Mountinfo.mountPointOf(bundle.rootfs().getParent());
    }

    /** Kills whatever was started and removes the cgroup; the caller removes the state dir. */
    private void undo() {
        for (int pid : new int[] {init, stage1}) {
            if (pid > 0) {
                try {
                    sys.kill(pid, 9);
                    sys.waitpid(pid, false);
                } catch (NativeException e) {
                    // ESRCH/ECHILD: already gone and reaped
                }
            }
        }
        if (cgroup != null) {
            try {
                cgroup.destroy();
            } catch (CgroupException e) {
                System.err.println("jrun: warning: " + e.getMessage());
            }
        }
    }
}
