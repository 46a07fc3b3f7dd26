package dev.jrun.runtime.plan;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything about this host and this invocation that the plan depends on, gathered by the
 * caller so that compiling stays a pure function.
 */
public record PlanContext(Container container, Invocation invocation, Host host, SeccompProgram seccomp) {

    /**
     * Where the container lives.
     *
     * @param bundle the bundle directory (relative mount sources are resolved against it)
     * @param rootfs absolute host path of the rootfs
     * @param rootfsParentMount mount point holding the rootfs, made private when the rootfs
     *     propagation is shared (pivot_root refuses a shared parent); "" when not needed
     */
    public record Container(String id, Path bundle, Path rootfs, String rootfsParentMount) {
    }

    /**
     * What the command line asked for, and the fds it hands jrun-init.
     *
     * @param consoleSocketFd executor fd of the console socket, or -1
     * @param fifoFd executor fd of exec.fifo, or -1 (exec)
     */
    public record Invocation(boolean noPivot, boolean noNewKeyring, int consoleSocketFd, int fifoFd) {
    }

    /**
     * Facts about this host.
     *
     * @param hasKcore whether /dev/core should point at /proc/kcore, as runc does
     * @param cgroups the container's cgroup as mounting /sys/fs/cgroup needs it (null for exec)
     * @param appArmorExecAttr the /proc/self/attr file that sets the AppArmor profile for exec
     *     ("attr/apparmor/exec" or "attr/exec"), or null when AppArmor is not enabled
     * @param selinux whether SELinux is enabled
     * @param fullProcAndSysMounts mount points of whole procfs and sysfs mounts outside the rootfs
     *     (what --no-pivot must hide), deepest first
     */
    public record Host(boolean hasKcore, CgroupView cgroups, String appArmorExecAttr, boolean selinux,
            List<String> fullProcAndSysMounts) {
        public Host {
            fullProcAndSysMounts = fullProcAndSysMounts == null ? List.of() : List.copyOf(fullProcAndSysMounts);
        }
    }

    /** A seccomp filter as the kernel loads it. */
    public record SeccompProgram(byte[] bpf, long flags, boolean hasListener) {
    }
}
