package dev.jrun.runtime.plan;

import java.nio.file.Path;

/**
 * Everything about this host and this invocation that the plan depends on, gathered by the
 * caller so that compiling stays a pure function.
 *
 * @param bundle the bundle directory (relative mount sources are resolved against it)
 * @param rootfs absolute host path of the rootfs
 * @param rootfsParentMount mount point holding the rootfs, made private when the rootfs
 *     propagation is shared (pivot_root refuses a shared parent); "" when not needed
 * @param consoleSocketFd executor fd of the console socket, or -1
 * @param fifoFd executor fd of exec.fifo
 * @param hostHasKcore whether /dev/core should point at /proc/kcore, as runc does
 * @param appArmorExecAttr the /proc/self/attr file that sets the AppArmor profile for exec
 *     ("attr/apparmor/exec" or "attr/exec"), or null when AppArmor is not enabled on this host
 * @param selinux whether SELinux is enabled on this host
 * @param seccomp the compiled filter, or null
 */
public record PlanContext(
        String containerId,
        Path bundle,
        Path rootfs,
        String rootfsParentMount,
        boolean noPivot,
        boolean noNewKeyring,
        int consoleSocketFd,
        int fifoFd,
        boolean hostHasKcore,
        CgroupView cgroups,
        String appArmorExecAttr,
        boolean selinux,
        SeccompProgram seccomp) {

    /** A seccomp filter as the kernel loads it. */
    public record SeccompProgram(byte[] bpf, long flags, boolean hasListener) {
    }
}
