package dev.jrun.runtime.plan;

import dev.jrun.spec.linux.MountOptions;
import dev.jrun.spec.linux.NamespaceType;
import dev.jrun.spec.model.Mount;
import java.util.List;

/**
 * /sys/fs/cgroup as runc lays it out: with a cgroup namespace a fresh cgroup filesystem
 * (rooted at the container's cgroup by the namespace), otherwise binds of the container's own
 * cgroup directories, so the container never sees its siblings.
 */
final class CgroupMounts {
    private CgroupMounts() {
    }

    static void add(Compilation c, Mount m, String dest) {
        CgroupView view = c.ctx.host().cgroups();
        // cgroup v1 cannot be mounted inside a user namespace at all; bind the directories instead
        boolean cgroupNs = c.linux.namespace(NamespaceType.CGROUP.type) != null
                && (view.unifiedOnly() || !c.linux.hasNamespace(NamespaceType.USER.type));
        MountAttrs o = MountAttrs.of(m.options());
        if (view.unifiedOnly()) {
            hierarchy(c, dest, "cgroup2", List.of(), view.unifiedDir(), cgroupNs, o, true);
            return;
        }
        String where = c.ctx.container().rootfs() + dest;
        c.add(new Step.MountFs("tmpfs", "tmpfs", Paths.inRoot(dest), List.of("mode=755"),
                MountOptions.ATTR_NOSUID | MountOptions.ATTR_NODEV | MountOptions.ATTR_NOEXEC, 0, 0, Resolve.IN_ROOT,
                ProcGuard.NOT_ON_PROC, false, false), "mount " + dest + " on " + where);
        for (CgroupView.V1Hierarchy h : view.hierarchies()) {
            hierarchy(c, dest + "/" + h.name(), "cgroup", h.mountOptions(), h.hostDir(), cgroupNs, o, false);
            for (String alias : h.aliases()) {
                c.add(new Step.Symlink(h.name(), Paths.inRoot(dest + "/" + alias)), "link " + dest + "/" + alias);
            }
        }
        if (view.unifiedDir() != null) {
            hierarchy(c, dest + "/unified", "cgroup2", List.of(), view.unifiedDir(), cgroupNs, o, false);
        }
        if ((o.set() & MountOptions.ATTR_RDONLY) != 0) {
            c.add(new Step.SetAttr(Paths.inRoot(dest), MountOptions.ATTR_RDONLY, 0, false), "make " + dest + " read-only");
        }
    }

    private static void hierarchy(Compilation c, String dest, String fsType, List<String> selectors, String hostDir,
            boolean cgroupNs, MountAttrs o, boolean whole) {
        String where = c.ctx.container().rootfs() + dest;
        long propagation = whole ? o.propagation() : 0L;
        if (cgroupNs) {
            c.add(new Step.MountFs(fsType, "cgroup", Paths.inRoot(dest), selectors, o.set(), o.clear(), propagation,
                    Resolve.IN_ROOT, ProcGuard.NOT_ON_PROC, false, false), "mount " + dest + " on " + where);
        } else {
            c.add(new Step.Bind(hostDir, Paths.inRoot(dest), false, o.set(), o.clear(), 0, 0, propagation, false,
                    Resolve.IN_ROOT, ProcGuard.NOT_ON_PROC, 0, false, -1, false), "mount " + hostDir + " on " + where);
        }
    }
}
