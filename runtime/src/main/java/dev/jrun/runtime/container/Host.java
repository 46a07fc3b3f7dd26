package dev.jrun.runtime.container;

import dev.jrun.runtime.cgroups.CgroupException;
import dev.jrun.runtime.cgroups.CgroupManager;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.process.Executor;
import dev.jrun.runtime.process.Foreground;
import dev.jrun.runtime.process.ForegroundProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The machine, as the container operations use it.  Everything they read or change outside
 * the state directory goes through here, so what they decide, and how they clean up after
 * every failure, runs under unit tests against a fake.  {@link LinuxHost} is the real one.
 */
public interface Host {

    /** Native calls: fds, sockets, the exec fifo, waiting for and signalling processes. */
    Syscalls sys();

    /** The cgroup a new container gets from its cgroupsPath (nothing is created yet). */
    CgroupManager newCgroup(String cgroupsPath, String id) throws CgroupException;

    /** The cgroup of an existing container, from its stored paths. */
    CgroupManager cgroup(Map<String, String> paths) throws CgroupException;

    /** Whether the cgroup with these stored paths is frozen (paused). */
    boolean frozen(Map<String, String> paths);

    /** A process's state and start time, or null if there is no such process. */
    ProcStat stat(int pid) throws IOException;

    /**
     * Sends a signal.
     *
     * @return false if the process does not exist
     */
    boolean signal(int pid, int signal) throws NativeException;

    /** Starts jrun-init with the executor's fd layout. */
    Executor.Started startExecutor(Executor executor) throws NativeException, IOException;

    /**
     * The process `run` or `exec` waits for in the foreground.
     *
     * @param consolePair jrun's end [0] and the executor's [1] of the console socket pair when
     *     jrun proxies the tty, else null; the executor's end is closed here
     */
    default ForegroundProcess foreground(int pid, int[] consolePair) throws NativeException {
        return Foreground.of(sys(), pid, consolePair);
    }

    /**
     * Whether pid still runs jrun-init (from its sealed memfd), that is, has not yet executed
     * the container's program; false once it has, or when it is gone.
     */
    default boolean runsExecutor(int pid) {
        try {
            return java.nio.file.Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "exe")).toString()
                    .startsWith("/memfd:" + Executor.MEMFD_NAME);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** What the plan needs to know of this host's security modules and devices. */
    Facts facts();

    /** Writes the uid and gid maps ("inside outside count" lines) of pid's new user namespace. */
    void writeIdMaps(int pid, String uidMap, String gidMap) throws IOException;

    /** The mounts at or below dir in the caller's mount namespace: mount id to mount point. */
    Map<String, String> mountsUnder(Path dir) throws IOException;

    /**
     * Lazily unmounts the mount at mountPoint if it is still the one with that id.
     *
     * @return false when it is gone or something else is mounted there now
     */
    boolean detachMount(String mountId, String mountPoint) throws NativeException;

    /** Mount points of whole procfs and sysfs mounts outside dir, deepest first (what --no-pivot hides). */
    List<String> fullProcAndSysMountsOutside(Path dir) throws IOException;

    /** The mount point of the mount that holds path. */
    String mountPointOf(Path path) throws IOException;

    /**
     * @param hasKcore whether /proc/kcore exists (runc then links /dev/core to it)
     * @param appArmorExecAttr the /proc/self file that sets the AppArmor profile for exec, or null
     * @param selinux whether SELinux is enabled
     */
    record Facts(boolean hasKcore, String appArmorExecAttr, boolean selinux) {
    }
}
