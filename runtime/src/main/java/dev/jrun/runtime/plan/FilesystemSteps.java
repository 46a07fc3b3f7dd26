package dev.jrun.runtime.plan;

import static dev.jrun.runtime.plan.Compilation.notBlank;

import dev.jrun.runtime.process.Wire;
import dev.jrun.spec.linux.MountOptions;
import dev.jrun.spec.linux.NamespaceType;
import dev.jrun.spec.model.Hooks;
import dev.jrun.spec.model.LinuxDevice;
import dev.jrun.spec.model.Mount;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Stage 2, in the new mount namespace: the rootfs bound onto itself, the config's mounts in
 * order (with runc's default /dev when the config brings none), devices, the console, the
 * hooks that run before pivot_root, masked and read-only paths, then the switch of root.
 */
final class FilesystemSteps {
    /** Filesystems that take the mount label as a context= option (proc and sysfs do not, as in runc). */
    private static final Set<String> LABELED_FS = Set.of("tmpfs", "devpts", "mqueue", "shm");

    private FilesystemSteps() {
    }

    static void build(Compilation c) throws PlanException {
        // A joined mount namespace gets the bundle's rootfs set up inside it, as a new one does.
        // Without one of its own the container shares the caller's: its mounts land there (they
        // are recorded and removed at delete), / is left as it is, and chroot confines it.
        boolean ownMounts = c.linux.namespace(NamespaceType.MOUNT.type) != null;
        PlanContext.Container container = c.ctx.container();
        String propagationName = notBlank(c.linux.rootfsPropagation()) ? c.linux.rootfsPropagation() : "rslave";
        long rootPropagation = MountOptions.propagationFlags(propagationName);
        // / cannot be unbindable while the rootfs is bound from it: rslave first, unbindable on the new /
        // (runc has this bug: rootfsPropagation unbindable fails there with EINVAL)
        String firstName = (rootPropagation & MountOptions.MS_UNBINDABLE) != 0 ? "rslave" : propagationName;
        if (ownMounts) {
            c.add(new Step.RootPropagation(MountOptions.propagationFlags(firstName)),
                    "set the propagation of / to " + firstName);
            c.add(new Step.PrepareRootfs(container.rootfs().toString(), container.rootfsParentMount(), true),
                    "bind the rootfs " + container.rootfs() + " onto itself");
        } else {
            c.add(new Step.PrepareRootfs(container.rootfs().toString(), "", false), "open the rootfs " + container.rootfs());
        }
        c.add(new Step.MountGuard(ProcGuard.DIR, ProcGuard.ALLOWED), "keep mounts out of /proc");
        boolean devMounted = false;
        boolean devIsBind = false;
        List<Mount> mounts = c.spec.mounts() == null ? List.of() : c.spec.mounts();
        for (Mount m : mounts) {
            if ("/dev".equals(Paths.clean(m.destination()))) {
                devMounted = true;
                devIsBind = isBind(m);
            }
        }
        if (!devMounted) {
            defaultDevMounts(c, mounts);
        }
        List<String> readOnlyLater = new ArrayList<>();
        for (Mount m : mounts) {
            mount(c, m, readOnlyLater);
        }
        if (!devIsBind) {
            devices(c);
        }
        ProcessSteps.console(c, true);
        hooksBeforePivot(c);
        for (String p : c.linux.maskedPaths() == null ? List.<String>of() : c.linux.maskedPaths()) {
            c.add(new Step.Mask(Paths.inRoot(p)), "mask " + p);
        }
        for (String p : c.linux.readonlyPaths() == null ? List.<String>of() : c.linux.readonlyPaths()) {
            c.add(new Step.Readonly(Paths.inRoot(p)), "make " + p + " read-only");
        }
        // runc makes a missing cwd (as root, 0755) before anything turns read-only
        if (notBlank(c.process.cwd()) && !"/".equals(Paths.clean(c.process.cwd()))) {
            c.add(new Step.Mkdir(Paths.inRoot(c.process.cwd()), 0755), "create the cwd " + c.process.cwd());
        }
        // what had to stay writable for the set-up (devices, mount points below it) becomes read-only now
        for (String dest : readOnlyLater) {
            c.add(new Step.SetAttr(Paths.inRoot(dest), MountOptions.ATTR_RDONLY, 0, false), "make " + dest + " read-only");
        }
        if (c.spec.root() != null && Boolean.TRUE.equals(c.spec.root().readonly())) {
            c.add(new Step.RootReadonly(), "make the rootfs read-only");
        }
        if (!ownMounts) {
            // never --no-pivot's MS_MOVE here: that would move the rootfs over the caller's own /
            c.add(new Step.Chroot(), "chroot to " + container.rootfs());
        } else if (c.ctx.invocation().noPivot()) {
            c.add(new Step.MoveRoot(c.ctx.host().fullProcAndSysMounts()), "move the rootfs to / (--no-pivot)");
        } else {
            c.add(new Step.PivotRoot(), "pivot_root to " + container.rootfs());
        }
        // runc applies the propagation to the new / as well: the bind above began private
        if (ownMounts && notBlank(c.linux.rootfsPropagation())) {
            c.add(new Step.RootPropagation(rootPropagation),
                    "set the propagation of the container's / to " + c.linux.rootfsPropagation());
        }

    }

    /** The /dev runc users expect when the config brings none: a tmpfs with pts, shm and mqueue. */
    private static void defaultDevMounts(Compilation c, List<Mount> configured) throws PlanException {
        mountFs(c, "tmpfs", "tmpfs", "/dev", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        if (!hasDestination(configured, "/dev/pts")) {
            mountFs(c, "devpts", "devpts", "/dev/pts",
                    List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        }
        if (!hasDestination(configured, "/dev/shm")) {
            mountFs(c, "tmpfs", "shm", "/dev/shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        }
        if (!hasDestination(configured, "/dev/mqueue") && c.linux.hasNamespace(NamespaceType.IPC.type)) {
            mountFs(c, "mqueue", "mqueue", "/dev/mqueue", List.of("nosuid", "noexec", "nodev"));
        }
    }

    private static boolean hasDestination(List<Mount> mounts, String dest) {
        for (Mount m : mounts) {
            if (dest.equals(Paths.clean(m.destination()))) {
                return true;
            }
        }
        return false;
    }

    private static void mountFs(Compilation c, String type, String source, String dest, List<String> options)
            throws PlanException {
        mount(c, new Mount(dest, type, source, options, null, null), null);
    }

    static boolean isBind(Mount m) {
        return "bind".equals(m.type()) || MountOptions.isBind(m.options());
    }

    /**
     * @param readOnlyLater where a read-only tmpfs or /dev goes instead of being mounted
     *     read-only: as runc, they are mounted writable (devices and mount points are made in
     *     them) and made read-only at the end
     */
    static void mount(Compilation c, Mount m, List<String> readOnlyLater) throws PlanException {
        String dest = Paths.clean(m.destination());
        if ("cgroup".equals(m.type()) || "cgroup2".equals(m.type())) {
            CgroupMounts.add(c, m, dest);
            return;
        }
        long resolve = "proc".equals(m.type()) || "sysfs".equals(m.type()) ? Resolve.NO_SYMLINKS : Resolve.IN_ROOT;
        String where = c.ctx.container().rootfs() + dest;
        if (isBind(m)) {
            MountAttrs o = MountAttrs.forBind(m.options());
            String source = Paths.source(c.ctx.container().bundle(), m.source());
            c.add(new Step.Bind(source, Paths.inRoot(dest), MountOptions.parse(m.options()).recursiveBind(), o.set(),
                    o.clear(), o.recursiveSet(), o.recursiveClear(), o.propagation(), o.propagationRecursive(),
                    resolve, ProcGuard.IF_SOURCE_IS_PROCFS, o.explicitClear(), o.atimeRequested(),
                    c.sourceSlots.getOrDefault(m, -1), IdMappedMounts.isIdMapped(m)),
                    "mount " + source + " on " + where);
            return;
        }
        MountAttrs o = MountAttrs.of(m.options());
        long set = o.set();
        if (readOnlyLater != null && (set & MountOptions.ATTR_RDONLY) != 0
                && ("tmpfs".equals(m.type()) || "/dev".equals(dest))) {
            set &= ~MountOptions.ATTR_RDONLY;
            readOnlyLater.add(dest);
        }
        List<String> params = o.params();
        if (notBlank(c.linux.mountLabel()) && LABELED_FS.contains(m.type())) {
            params = new ArrayList<>(params);
            // fsconfig takes the value whole, so no quoting against commas is needed
            params.add("context=" + c.linux.mountLabel());
        }
        c.add(new Step.MountFs(m.type() == null ? "none" : m.type(), m.source() == null ? "" : m.source(),
                Paths.inRoot(dest), params, set, o.clear(), o.propagation(), resolve,
                "proc".equals(m.type()) ? ProcGuard.ALLOWED_ON_PROC : ProcGuard.NOT_ON_PROC, "tmpfs".equals(m.type()),
                "tmpfs".equals(m.type()) && MountOptions.parse(m.options()).copyUp()),
                "mount " + dest + " on " + where, resolve == Resolve.NO_SYMLINKS
                        ? new InitPlan.Explained("filesystem \"" + m.type() + "\" must be mounted on ordinary directory",
                                InitPlan.Explained.ELOOP, InitPlan.Explained.ENOTDIR)
                        : null);
        if (o.recursiveSet() != 0 || o.recursiveClear() != 0) {
            c.add(new Step.SetAttr(Paths.inRoot(dest), o.recursiveSet(), o.recursiveClear(), true),
                    "set recursive attributes of " + dest);
        }
    }

    /** runc's default devices, then the config's; inside a user namespace mknod is refused, so bind. */
    private static void devices(Compilation c) {
        boolean userns = c.linux.hasNamespace(NamespaceType.USER.type);
        List<LinuxDevice> all = new ArrayList<>(DefaultDevices.LIST);
        for (LinuxDevice d : c.linux.devices() == null ? List.<LinuxDevice>of() : c.linux.devices()) {
            all.removeIf(existing -> existing.path().equals(d.path()));
            all.add(d);
        }
        for (LinuxDevice d : all) {
            String dest = Paths.inRoot(d.path());
            if (userns) {
                c.add(new Step.BindDevice(d.path(), dest), "bind device " + d.path());
            } else {
                long mode = DefaultDevices.typeBits(d.type()) | (d.fileMode() == null ? 0666 : d.fileMode());
                c.add(new Step.Mknod(dest, mode, d.major() == null ? 0L : d.major(), d.minor() == null ? 0L : d.minor(),
                        d.uid() == null ? 0L : d.uid(), d.gid() == null ? 0L : d.gid()), "create device " + d.path());
            }
        }
        link(c, "pts/ptmx", "/dev/ptmx");
        link(c, "/proc/self/fd", "/dev/fd");
        link(c, "/proc/self/fd/0", "/dev/stdin");
        link(c, "/proc/self/fd/1", "/dev/stdout");
        link(c, "/proc/self/fd/2", "/dev/stderr");
        if (c.ctx.host().hasKcore()) {
            link(c, "/proc/kcore", "/dev/core");
        }
    }

    private static void link(Compilation c, String target, String path) {
        c.add(new Step.Symlink(target, Paths.inRoot(path)), "link " + path);
    }

    /**
     * prestart and createRuntime hooks run in the parent while the init waits here;
     * createContainer hooks run in the init, still before pivot_root.  The parent answers the
     * sync with the state JSON the hooks read on stdin.
     */
    private static void hooksBeforePivot(Compilation c) {
        Hooks h = c.spec.hooks();
        if (h == null) {
            return;
        }
        if (Compilation.notEmpty(h.prestart()) || Compilation.notEmpty(h.createRuntime())
                || Compilation.notEmpty(h.createContainer()) || Compilation.notEmpty(h.startContainer())) {
            c.add(new Step.Sync(Wire.SYNC_HOOKS), "run the prestart and createRuntime hooks");
        }
        HookSteps.add(c, "createContainer", h.createContainer());
    }
}
