package dev.jrun.runtime.container;

import dev.jrun.runtime.cgroups.CgroupException;
import dev.jrun.runtime.cgroups.CgroupHost;
import dev.jrun.runtime.cgroups.CgroupManager;
import dev.jrun.runtime.linux.Errno;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.process.Executor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * This Linux machine.  Each part loads only when first used: `state` and `kill` never load
 * the native layer, which is most of a fresh JVM's start-up cost for them.
 */
public final class LinuxHost implements Host {
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;

    @Override
    public Syscalls sys() {
        return Syscalls.get();
    }

    @Override
    public CgroupManager newCgroup(String cgroupsPath, String id) throws CgroupException {
        try {
            return CgroupManager.forNewContainer(CgroupHost.detect(), cgroupsPath, id);
        } catch (IOException e) {
            throw new CgroupException("read this host's cgroup mounts: " + e.getMessage(), e);
        }
    }

    @Override
    public CgroupManager cgroup(Map<String, String> paths) throws CgroupException {
        return CgroupManager.fromPaths(paths);
    }

    @Override
    public boolean frozen(Map<String, String> paths) {
        return CgroupManager.isFrozen(paths);
    }

    @Override
    public ProcStat stat(int pid) throws IOException {
        return ProcStat.read(pid);
    }

    /** The JDK sends SIGKILL and SIGTERM itself, so containerd's common calls never load jnr-ffi. */
    @Override
    public boolean signal(int pid, int signal) throws NativeException {
        if (signal == SIGKILL || signal == SIGTERM) {
            java.util.Optional<ProcessHandle> p = ProcessHandle.of(pid);
            return p.isPresent() && (signal == SIGKILL ? p.get().destroyForcibly() : p.get().destroy());
        }
        try {
            Syscalls.get().kill(pid, signal);
            return true;
        } catch (NativeException e) {
            if (e.errno() == Errno.ESRCH) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Executor.Started startExecutor(Executor executor) throws NativeException, IOException {
        return executor.start(Syscalls.get());
    }

    @Override
    public Facts facts() {
        return new Facts(Files.exists(Path.of("/proc/kcore")), HostLsm.appArmorExecAttr(), HostLsm.selinuxEnabled());
    }

    @Override
    public void writeIdMaps(int pid, String uidMap, String gidMap) throws IOException {
        Path proc = Path.of("/proc", Integer.toString(pid));
        Files.writeString(proc.resolve("uid_map"), uidMap);
        Files.writeString(proc.resolve("gid_map"), gidMap);
    }

    @Override
    public Map<String, String> mountsUnder(Path dir) throws IOException {
        return Mountinfo.mountsUnder(dir);
    }

    @Override
    public boolean detachMount(String mountId, String mountPoint) throws NativeException {
        return Syscalls.get().detachMount(mountPoint, Long.parseLong(mountId));
    }

    @Override
    public java.util.List<String> fullProcAndSysMountsOutside(Path dir) throws IOException {
        return Mountinfo.fullProcAndSysMountsOutside(dir);
    }

    @Override
    public String mountPointOf(Path path) throws IOException {
        return Mountinfo.mountPointOf(path);
    }
}
