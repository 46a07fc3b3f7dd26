package dev.jrun.cli.server;

import dev.jrun.runtime.cgroups.CgroupException;
import dev.jrun.runtime.cgroups.CgroupManager;
import dev.jrun.runtime.container.Host;
import dev.jrun.runtime.container.LinuxHost;
import dev.jrun.runtime.container.ProcStat;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.process.Executor;
import dev.jrun.runtime.process.ForegroundProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The machine as a served call sees it: this server's, except that jrun-init is started by the
 * call's front end, so the container descends from the caller (a shim that is a subreaper
 * becomes its parent, as with runc).
 */
final class FrontEndHost implements Host {
    private final LinuxHost local = new LinuxHost();
    private final FrontEnd frontEnd;
    private final Syscalls sys;

    FrontEndHost(FrontEnd frontEnd) {
        this.frontEnd = frontEnd;
        this.sys = new FrontEndSyscalls(Syscalls.get(), frontEnd);
    }

    @Override
    public Syscalls sys() {
        return sys;
    }

    @Override
    public Executor.Started startExecutor(Executor executor) throws NativeException, IOException {
        return executor.start(sys, new Executor.Spawner() {
            @Override
            public int spawn(String path, List<String> argv, int[] childFds, int callersFds) throws NativeException {
                return frontEnd.spawn(path, argv, childFds, callersFds);
            }
        });
    }

    @Override
    public ForegroundProcess foreground(int pid, int[] consolePair) throws NativeException {
        return FrontEndForeground.of(frontEnd, sys, pid, consolePair);
    }

    /** A relative cgroupsPath is under the caller's cgroup, as with runc, not under the server's. */
    @Override
    public CgroupManager newCgroup(String cgroupsPath, String id) throws CgroupException {
        try {
            return CgroupManager.forNewContainer(dev.jrun.runtime.cgroups.CgroupHost.detect(frontEnd.pid()), cgroupsPath,
                    id);
        } catch (IOException e) {
            throw new CgroupException("read the caller's cgroups: " + e.getMessage(), e);
        }
    }

    @Override
    public CgroupManager cgroup(Map<String, String> paths) throws CgroupException {
        return local.cgroup(paths);
    }

    @Override
    public boolean frozen(Map<String, String> paths) {
        return local.frozen(paths);
    }

    @Override
    public ProcStat stat(int pid) throws IOException {
        return local.stat(pid);
    }

    @Override
    public boolean signal(int pid, int signal) throws NativeException {
        return local.signal(pid, signal);
    }

    @Override
    public Facts facts() {
        return local.facts();
    }

    @Override
    public void writeIdMaps(int pid, String uidMap, String gidMap) throws IOException {
        local.writeIdMaps(pid, uidMap, gidMap);
    }

    @Override
    public Map<String, String> mountsUnder(Path dir) throws IOException {
        return local.mountsUnder(dir);
    }

    @Override
    public boolean detachMount(String mountId, String mountPoint) throws NativeException {
        return local.detachMount(mountId, mountPoint);
    }

    @Override
    public List<String> fullProcAndSysMountsOutside(Path dir) throws IOException {
        return local.fullProcAndSysMountsOutside(dir);
    }

    @Override
    public String mountPointOf(Path path) throws IOException {
        return local.mountPointOf(path);
    }
}
