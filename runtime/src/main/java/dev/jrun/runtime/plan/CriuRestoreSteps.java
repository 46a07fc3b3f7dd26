package dev.jrun.runtime.plan;

import dev.jrun.runtime.process.Wire;
import dev.jrun.spec.linux.MountOptions;
import dev.jrun.spec.linux.NamespaceType;
import dev.jrun.spec.model.Mount;
import java.util.List;

/**
 * The executor's part of restore: it starts CRIU rather than a container.  CRIU rebuilds the
 * container's mount namespace from its images, binding the rootfs (not recursively) as the
 * new root, so the rootfs must be a mount point and every mount point the images name must
 * exist in it, also when the bundle is a fresh one.  The executor prepares that in a mount
 * namespace of CRIU's own, slaved to the host's: it binds the rootfs onto itself and mounts
 * the config's mounts as create does (which creates their mount points safely inside the
 * rootfs, including those nested in bind mounts).  None of it reaches the host or the restored
 * container, and all of it goes when CRIU exits.  The executor joins the container's cgroup
 * first, so CRIU and the processes it restores start there.
 */
final class CriuRestoreSteps {
    private CriuRestoreSteps() {
    }

    static void add(Compilation c, String criu, List<String> argv, List<String> env) throws PlanException {
        PlanContext.Container container = c.ctx.container();
        c.add(new Step.Sync(Wire.SYNC_CGROUP), "join the container's cgroup");
        c.add(new Step.Unshare(NamespaceType.MOUNT.cloneFlag), "create a mount namespace for CRIU");
        c.add(new Step.RootPropagation(MountOptions.MS_SLAVE | MountOptions.MS_REC), "set the propagation of / to rslave");
        c.add(new Step.PrepareRootfs(container.rootfs().toString(), "", true),
                "bind the rootfs " + container.rootfs() + " onto itself");
        c.add(new Step.MountGuard(ProcGuard.DIR, ProcGuard.ALLOWED), "keep mounts out of /proc");
        for (Mount m : c.spec.mounts() == null ? List.<Mount>of() : c.spec.mounts()) {
            // the cgroup mount points appear with /sys's (or CRIU's own tmpfs on v1)
            if (!"cgroup".equals(m.type()) && !"cgroup2".equals(m.type())) {
                FilesystemSteps.mount(c, m, null);
            }
        }
        c.add(new Step.Fork(), "start CRIU's process");
        c.add(new Step.ReportCreated(), "report CRIU ready");
        c.add(new Step.CloseSetupFds(), "close the set-up fds");
        c.add(new Step.LookupExec(criu, ""), "find " + criu);
        c.add(new Step.Exec(argv, env), "run " + criu);
    }
}
