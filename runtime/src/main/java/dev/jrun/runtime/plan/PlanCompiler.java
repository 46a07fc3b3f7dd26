package dev.jrun.runtime.plan;

import dev.jrun.spec.linux.Capabilities;
import dev.jrun.spec.linux.CpuList;
import dev.jrun.spec.linux.Rlimits;
import dev.jrun.spec.model.Hook;
import dev.jrun.spec.model.Hooks;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.LinuxCapabilities;
import dev.jrun.spec.model.LinuxDevice;
import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.spec.model.LinuxNamespace;
import dev.jrun.spec.model.LinuxTimeOffset;
import dev.jrun.spec.model.Mount;
import dev.jrun.spec.model.POSIXRlimit;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles a validated config into the init plan, in the order DESIGN.md §2 fixes.  Pure: all
 * host facts come in through {@link PlanContext}, so golden plans are tested without root.
 */
public final class PlanCompiler {
    static final long CLONE_NEWTIME = 0x80;
    static final long CLONE_NEWNS = 0x20000;
    static final long CLONE_NEWCGROUP = 0x02000000;
    static final long CLONE_NEWUTS = 0x04000000;
    static final long CLONE_NEWIPC = 0x08000000;
    static final long CLONE_NEWUSER = 0x10000000;
    static final long CLONE_NEWPID = 0x20000000;
    static final long CLONE_NEWNET = 0x40000000;

    static final int SYNC_CGROUP = 1;
    static final int SYNC_USERNS = 2;
    static final int SYNC_HOOKS = 3;

    static final long RES_IN_ROOT = 0;
    static final long RES_NO_SYMLINKS = 1;

    static final int DEFAULT_UMASK = 0022;

    /** Filesystems that take the mount label as a context= option (proc and sysfs do not, as in runc). */
    static final java.util.Set<String> LABELED_FS = java.util.Set.of("tmpfs", "devpts", "mqueue", "shm");

    /** Namespace types in the order they are joined: user first, mount last (later paths resolve in it). */
    static final List<String> JOIN_ORDER = List.of("user", "ipc", "uts", "network", "pid", "cgroup", "time", "mount");

    private final Spec spec;
    private final PlanContext ctx;
    private final Process process;
    private final Linux linux;
    /** Set when the plan starts another process in a running container rather than creating one. */
    private final ExecContext exec;
    private final List<Step> steps = new ArrayList<>();

    private PlanCompiler(Spec spec, Process process, PlanContext ctx, ExecContext exec) {
        this.spec = spec;
        this.ctx = ctx;
        this.process = process;
        this.linux = spec.linux() != null ? spec.linux() : emptyLinux();
        this.exec = exec;
    }

    /**
     * `exec`: what a new process needs to join a running container.
     *
     * @param pidfd executor fd of a pidfd of the container's init, pinned before its identity was checked
     * @param namespaces the CLONE_NEW* flags of the container's namespaces, joined at once through the pidfd
     */
    public record ExecContext(int pidfd, long namespaces) {
    }

    /** @throws PlanException for a config the validator accepts but this host cannot honour */
    public static InitPlan compile(Spec spec, PlanContext ctx) throws PlanException {
        PlanCompiler c = new PlanCompiler(spec, spec.process(), ctx, null);
        c.refuseUnsupported();
        c.namespaces();
        c.filesystem();
        c.processAttributes();
        c.credentials();
        c.handOver();
        return new InitPlan(c.steps);
    }

    /**
     * The plan for `exec`: join every namespace of the running container (its filesystem is
     * already set up), then give the new process its own identity, limits and filter.
     *
     * @param container the container's config (its snapshot), for namespaces and container-wide settings
     */
    public static InitPlan compileExec(Spec container, Process process, PlanContext ctx, ExecContext exec)
            throws PlanException {
        PlanCompiler c = new PlanCompiler(container, process, ctx, exec);
        c.refuseUnsupportedLabels();
        c.joinNamespaces();
        c.add(Op.OPEN_ROOT, "open the container's root");
        c.console(false);
        c.processAttributes();
        c.credentials();
        c.handOver();
        return new InitPlan(c.steps);
    }

    private void joinNamespaces() throws PlanException {
        initialAffinity();
        add(Op.SYNC, "join the container's cgroup", (long) SYNC_CGROUP);
        oomScoreAdj();
        add(Op.SETNS_FD, "join the container's namespaces", (long) exec.pidfd(), exec.namespaces());
        add(Op.FORK, "start the process");
    }

    private void initialAffinity() throws PlanException {
        if (process.execCPUAffinity() != null && process.execCPUAffinity().initial() != null) {
            add(Op.AFFINITY, "set the initial CPU affinity", CpuList.mask(process.execCPUAffinity().initial()));
        }
    }

    /** while still privileged on the host: lowering it needs CAP_SYS_RESOURCE there; children inherit it */
    private void oomScoreAdj() {
        if (process.oomScoreAdj() != null) {
            add(Op.PROC_WRITE, "set oom_score_adj", "self/oom_score_adj", String.valueOf(process.oomScoreAdj()));
        }
    }

    private void console(boolean bindDevConsole) {
        if (process.isTerminal() && ctx.consoleSocketFd() >= 0) {
            User u = process.user();
            add(Op.CONSOLE, "set up the console", (long) ctx.consoleSocketFd(), rows(), cols(),
                    u == null ? 0L : u.uidOrZero(), u == null ? 0L : u.gidOrZero(), bindDevConsole ? 1L : 0L);
        }
    }

    private void add(Op op, String description, Object... args) {
        steps.add(Step.of(op, description, args));
    }

    /** Features jrun does not carry out are refused, never silently dropped. */
    private void refuseUnsupported() throws PlanException {
        if (linux.intelRdt() != null) {
            throw new PlanException("linux.intelRdt: Intel RDT is not supported by jrun");
        }
        if (linux.netDevices() != null && !linux.netDevices().isEmpty()) {
            throw new PlanException("linux.netDevices: moving network devices into the container is not supported by jrun");
        }
        for (Mount m : spec.mounts() == null ? List.<Mount>of() : spec.mounts()) {
            if ((m.uidMappings() != null && !m.uidMappings().isEmpty()) || m.hasOption("idmap") || m.hasOption("ridmap")) {
                throw new PlanException("mounts: id-mapped mount of " + m.destination() + " is not supported by jrun");
            }
            if (m.hasOption("tmpcopyup")) {
                throw new PlanException("mounts: the tmpcopyup option (" + m.destination() + ") is not supported by jrun");
            }
        }
        refuseUnsupportedLabels();
        if (notBlank(linux.mountLabel()) && !ctx.selinux()) {
            throw new PlanException("linux.mountLabel: SELinux is not enabled on this host, so the label cannot be applied");
        }
    }

    private void refuseUnsupportedLabels() throws PlanException {
        if (notBlank(process.apparmorProfile()) && ctx.appArmorExecAttr() == null) {
            throw new PlanException("process.apparmorProfile: AppArmor is not enabled on this host, so profile \""
                    + process.apparmorProfile() + "\" cannot be applied");
        }
        if (notBlank(process.selinuxLabel()) && !ctx.selinux()) {
            throw new PlanException("process.selinuxLabel: SELinux is not enabled on this host, so the label cannot be applied");
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isEmpty();
    }

    // ------------------------------------------------------------------ stage 1: namespaces

    private void namespaces() throws PlanException {
        initialAffinity();
        add(Op.SYNC, "join the container's cgroup", (long) SYNC_CGROUP);
        oomScoreAdj();
        for (String type : JOIN_ORDER) {
            LinuxNamespace ns = linux.namespace(type);
            if (ns != null && !ns.isNew()) {
                add(Op.SETNS, "join " + type + " namespace " + ns.path(), ns.path(), namespaceFlag(type));
            }
        }
        LinuxNamespace user = linux.namespace("user");
        boolean newUser = user != null && user.isNew();
        if (newUser) {
            add(Op.UNSHARE, "create the user namespace", CLONE_NEWUSER);
            add(Op.SYNC, "write the uid/gid mappings", (long) SYNC_USERNS);
        }
        long flags = 0;
        for (LinuxNamespace ns : linux.namespaces() == null ? List.<LinuxNamespace>of() : linux.namespaces()) {
            if (ns.isNew() && !"user".equals(ns.type())) {
                flags |= namespaceFlag(ns.type());
            }
        }
        if (flags != 0) {
            add(Op.UNSHARE, "create namespaces " + namesOf(flags), flags);
        }
        if ((flags & CLONE_NEWTIME) != 0 && linux.timeOffsets() != null && !linux.timeOffsets().isEmpty()) {
            StringBuilder offsets = new StringBuilder();
            for (Map.Entry<String, LinuxTimeOffset> e : linux.timeOffsets().entrySet()) {
                LinuxTimeOffset o = e.getValue();
                offsets.append(e.getKey()).append(' ').append(o.secs() == null ? 0 : o.secs()).append(' ')
                        .append(o.nanosecs() == null ? 0 : o.nanosecs()).append('\n');
            }
            add(Op.PROC_WRITE, "set the time namespace offsets", "self/timens_offsets", offsets.toString());
        }
        // Only now: as a mapped uid, the non-dumpable executor could no longer open /proc/self files.
        if (newUser && maps(linux.uidMappings(), 0) && maps(linux.gidMappings(), 0)) {
            add(Op.SETGID, "become root in the user namespace", 0L);
            add(Op.SETUID, "become root in the user namespace", 0L);
        }
        add(Op.FORK, "start the container process");
    }

    private static boolean maps(List<LinuxIDMapping> mappings, long id) {
        for (LinuxIDMapping m : mappings == null ? List.<LinuxIDMapping>of() : mappings) {
            if (m.containerID() != null && m.size() != null && id >= m.containerID() && id < m.containerID() + m.size()) {
                return true;
            }
        }
        return false;
    }

    /** The CLONE_NEW* flag of a namespace type. */
    public static long namespaceFlag(String type) {
        switch (type) {
            case "pid": return CLONE_NEWPID;
            case "network": return CLONE_NEWNET;
            case "mount": return CLONE_NEWNS;
            case "ipc": return CLONE_NEWIPC;
            case "uts": return CLONE_NEWUTS;
            case "user": return CLONE_NEWUSER;
            case "cgroup": return CLONE_NEWCGROUP;
            case "time": return CLONE_NEWTIME;
            default: throw new IllegalArgumentException("namespace type " + type);
        }
    }

    private static String namesOf(long flags) {
        List<String> names = new ArrayList<>();
        for (String type : JOIN_ORDER) {
            if ((flags & namespaceFlag(type)) != 0) {
                names.add(type);
            }
        }
        return String.join(", ", names);
    }

    // ------------------------------------------------------------------ stage 2: filesystem

    private void filesystem() throws PlanException {
        LinuxNamespace mnt = linux.namespace("mount");
        if (mnt == null) {
            throw new PlanException("linux.namespaces: a mount namespace is required to set up the rootfs");
        }
        if (!mnt.isNew()) {
            // The joined namespace already has its filesystem; only process set-up remains.
            hooksBeforePivot(false);
            return;
        }
        Long rootPropagation = MountOptions.propagationFlags(
                linux.rootfsPropagation() == null || linux.rootfsPropagation().isEmpty() ? "rslave"
                        : linux.rootfsPropagation());
        add(Op.ROOT_PROPAGATION, "set the propagation of / to " + (linux.rootfsPropagation() == null ? "rslave"
                : linux.rootfsPropagation()), rootPropagation);
        add(Op.PREPARE_ROOTFS, "bind the rootfs " + ctx.rootfs() + " onto itself", ctx.rootfs().toString(),
                ctx.rootfsParentMount());
        add(Op.MOUNT_GUARD, "keep mounts out of /proc", ProcGuard.DIR, ProcGuard.ALLOWED);
        boolean devMounted = false;
        boolean devIsBind = false;
        List<Mount> mounts = spec.mounts() == null ? List.of() : spec.mounts();
        for (Mount m : mounts) {
            if ("/dev".equals(Paths.clean(m.destination()))) {
                devMounted = true;
                devIsBind = isBind(m);
            }
        }
        if (!devMounted) {
            defaultDevMounts(mounts);
        }
        for (Mount m : mounts) {
            mount(m);
        }
        if (!devIsBind) {
            devices();
        }
        console(true);
        hooksBeforePivot(true);
        for (String p : linux.maskedPaths() == null ? List.<String>of() : linux.maskedPaths()) {
            add(Op.MASK, "mask " + p, Paths.inRoot(p));
        }
        for (String p : linux.readonlyPaths() == null ? List.<String>of() : linux.readonlyPaths()) {
            add(Op.READONLY, "make " + p + " read-only", Paths.inRoot(p));
        }
        if (spec.root() != null && Boolean.TRUE.equals(spec.root().readonly())) {
            add(Op.ROOT_READONLY, "make the rootfs read-only");
        }
        if (ctx.noPivot()) {
            add(Op.MOVE_ROOT, "move the rootfs to / (--no-pivot)");
        } else {
            add(Op.PIVOT_ROOT, "pivot_root to " + ctx.rootfs());
        }
        // runc applies the propagation to the new / as well: the bind above began private
        if (linux.rootfsPropagation() != null && !linux.rootfsPropagation().isEmpty()) {
            add(Op.ROOT_PROPAGATION, "set the propagation of the container's / to " + linux.rootfsPropagation(),
                    rootPropagation);
        }
    }

    private long rows() {
        return process.consoleSize() != null && process.consoleSize().height() != null ? process.consoleSize().height() : 0L;
    }

    private long cols() {
        return process.consoleSize() != null && process.consoleSize().width() != null ? process.consoleSize().width() : 0L;
    }

    /** The /dev runc users expect when the config brings none: a tmpfs with pts, shm and mqueue. */
    private void defaultDevMounts(List<Mount> configured) {
        mountFs("tmpfs", "tmpfs", "/dev", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        if (!hasDestination(configured, "/dev/pts")) {
            mountFs("devpts", "devpts", "/dev/pts",
                    List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        }
        if (!hasDestination(configured, "/dev/shm")) {
            mountFs("tmpfs", "shm", "/dev/shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        }
        if (!hasDestination(configured, "/dev/mqueue") && linux.hasNamespace("ipc")) {
            mountFs("mqueue", "mqueue", "/dev/mqueue", List.of("nosuid", "noexec", "nodev"));
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

    private void mountFs(String type, String source, String dest, List<String> options) {
        mount(new Mount(dest, type, source, options, null, null));
    }

    static boolean isBind(Mount m) {
        return "bind".equals(m.type()) || m.hasOption("bind") || m.hasOption("rbind");
    }

    private void mount(Mount m) {
        String dest = Paths.clean(m.destination());
        if ("cgroup".equals(m.type()) || "cgroup2".equals(m.type())) {
            cgroupMount(m, dest);
            return;
        }
        MountOptions.Parsed o = MountOptions.parse(m.options());
        long resolve = "proc".equals(m.type()) || "sysfs".equals(m.type()) ? RES_NO_SYMLINKS : RES_IN_ROOT;
        if (isBind(m)) {
            String source = Paths.source(ctx.bundle(), m.source());
            add(Op.BIND, "mount " + source + " on " + ctx.rootfs() + dest, source, Paths.inRoot(dest),
                    o.recursiveBind() ? 1L : 0L, o.set(), o.clear(), o.recursiveSet(), o.recursiveClear(),
                    o.propagation(), o.recursivePropagation() ? 1L : 0L, resolve, ProcGuard.IF_SOURCE_IS_PROCFS);
        } else {
            List<String> params = o.params();
            if (notBlank(linux.mountLabel()) && LABELED_FS.contains(m.type())) {
                params = new ArrayList<>(params);
                // fsconfig takes the value whole, so no quoting against commas is needed
                params.add("context=" + linux.mountLabel());
            }
            add(Op.MOUNT_FS, "mount " + dest + " on " + ctx.rootfs() + dest, m.type() == null ? "none" : m.type(),
                    m.source() == null ? "" : m.source(), Paths.inRoot(dest), params, o.set(), o.clear(),
                    o.propagation(), resolve, "proc".equals(m.type()) ? ProcGuard.ALLOWED_ON_PROC : ProcGuard.NOT_ON_PROC);
            if (o.recursiveSet() != 0 || o.recursiveClear() != 0) {
                add(Op.SETATTR, "set recursive attributes of " + dest, Paths.inRoot(dest), o.recursiveSet(),
                        o.recursiveClear(), 1L);
            }
        }
    }

    /**
     * /sys/fs/cgroup as runc lays it out: with a cgroup namespace a fresh cgroup filesystem
     * (rooted at the container's cgroup by the namespace), otherwise binds of the container's own
     * cgroup directories, so the container never sees its siblings.
     */
    private void cgroupMount(Mount m, String dest) {
        CgroupView view = ctx.cgroups();
        // cgroup v1 cannot be mounted inside a user namespace at all; bind the directories instead
        boolean cgroupNs = linux.namespace("cgroup") != null && (view.unifiedOnly() || !linux.hasNamespace("user"));
        List<String> options = m.options() == null ? List.of() : m.options();
        MountOptions.Parsed o = MountOptions.parse(options);
        if (view.unifiedOnly()) {
            cgroupHierarchy(dest, "cgroup2", List.of(), view.unifiedDir(), cgroupNs, o, true);
            return;
        }
        mountFs("tmpfs", "tmpfs", dest, List.of("nosuid", "nodev", "noexec", "mode=755"));
        for (CgroupView.V1Hierarchy h : view.hierarchies()) {
            String sub = dest + "/" + h.name();
            cgroupHierarchy(sub, "cgroup", h.mountOptions(), h.hostDir(), cgroupNs, o, false);
            for (String alias : h.aliases()) {
                add(Op.SYMLINK, "link " + dest + "/" + alias, h.name(), Paths.inRoot(dest + "/" + alias));
            }
        }
        if (view.unifiedDir() != null) {
            cgroupHierarchy(dest + "/unified", "cgroup2", List.of(), view.unifiedDir(), cgroupNs, o, false);
        }
        if ((o.set() & MountOptions.ATTR_RDONLY) != 0) {
            add(Op.SETATTR, "make " + dest + " read-only", Paths.inRoot(dest), MountOptions.ATTR_RDONLY, 0L, 0L);
        }
    }

    private void cgroupHierarchy(String dest, String fsType, List<String> selectors, String hostDir,
            boolean cgroupNs, MountOptions.Parsed o, boolean whole) {
        if (cgroupNs) {
            add(Op.MOUNT_FS, "mount " + dest + " on " + ctx.rootfs() + dest, fsType, "cgroup", Paths.inRoot(dest),
                    selectors, o.set(), o.clear(), whole ? o.propagation() : 0L, RES_IN_ROOT, ProcGuard.NOT_ON_PROC);
        } else {
            add(Op.BIND, "mount " + hostDir + " on " + ctx.rootfs() + dest, hostDir, Paths.inRoot(dest), 0L, o.set(),
                    o.clear(), 0L, 0L, whole ? o.propagation() : 0L, 0L, RES_IN_ROOT, ProcGuard.NOT_ON_PROC);
        }
    }

    /** runc's default devices, then the config's; inside a user namespace mknod is refused, so bind. */
    private void devices() {
        boolean userns = linux.hasNamespace("user");
        List<LinuxDevice> all = new ArrayList<>(DefaultDevices.LIST);
        for (LinuxDevice d : linux.devices() == null ? List.<LinuxDevice>of() : linux.devices()) {
            for (int i = all.size() - 1; i >= 0; i--) {
                if (all.get(i).path().equals(d.path())) {
                    all.remove(i);
                }
            }
            all.add(d);
        }
        for (LinuxDevice d : all) {
            String dest = Paths.inRoot(d.path());
            if (userns) {
                add(Op.BIND_DEVICE, "bind device " + d.path(), d.path(), dest);
            } else {
                long mode = DefaultDevices.typeBits(d.type()) | (d.fileMode() == null ? 0666 : d.fileMode());
                add(Op.MKNOD, "create device " + d.path(), dest, mode, d.major() == null ? 0L : d.major(),
                        d.minor() == null ? 0L : d.minor(), d.uid() == null ? 0L : d.uid(), d.gid() == null ? 0L : d.gid());
            }
        }
        add(Op.SYMLINK, "link /dev/ptmx", "pts/ptmx", "dev/ptmx");
        add(Op.SYMLINK, "link /dev/fd", "/proc/self/fd", "dev/fd");
        add(Op.SYMLINK, "link /dev/stdin", "/proc/self/fd/0", "dev/stdin");
        add(Op.SYMLINK, "link /dev/stdout", "/proc/self/fd/1", "dev/stdout");
        add(Op.SYMLINK, "link /dev/stderr", "/proc/self/fd/2", "dev/stderr");
        if (ctx.hostHasKcore()) {
            add(Op.SYMLINK, "link /dev/core", "/proc/kcore", "dev/core");
        }
    }

    /**
     * prestart and createRuntime hooks run in the parent while the init waits here;
     * createContainer hooks run in the init, still before pivot_root.  The parent answers the
     * sync with the state JSON the hooks read on stdin.
     */
    private void hooksBeforePivot(boolean runCreateContainer) {
        Hooks h = spec.hooks();
        if (h == null) {
            return;
        }
        if (notEmpty(h.prestart()) || notEmpty(h.createRuntime()) || notEmpty(h.createContainer())
                || notEmpty(h.startContainer())) {
            add(Op.SYNC, "run the prestart and createRuntime hooks", (long) SYNC_HOOKS);
        }
        if (runCreateContainer) {
            hookSteps("createContainer", h.createContainer());
        }
    }

    private void hookSteps(String kind, List<Hook> hooks) {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            Hook hook = hooks.get(i);
            List<String> args = hook.args() == null || hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
            add(Op.RUN_HOOK, "run " + kind + " hook #" + i + " (" + hook.path() + ")", hook.path(), args,
                    hook.env() == null ? List.of() : hook.env(), hook.timeout() == null ? 0L : hook.timeout());
        }
    }

    private static boolean notEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }

    // ------------------------------------------------------------------ stage 2: process attributes

    private void processAttributes() throws PlanException {
        if (exec == null) {
            containerAttributes();
        }
        if (!ctx.noNewKeyring()) {
            add(Op.KEYRING, "create a session keyring", "_ses." + ctx.containerId());
        }
        for (POSIXRlimit r : process.rlimits() == null ? List.<POSIXRlimit>of() : process.rlimits()) {
            int resource = Rlimits.number(r.type());
            if (resource < 0) {
                throw new PlanException("process.rlimits: unknown rlimit type " + r.type());
            }
            add(Op.SETRLIMIT, "set " + r.type(), (long) resource, r.soft() == null ? 0L : r.soft(),
                    r.hard() == null ? 0L : r.hard());
        }
        processScheduling();
    }

    /** Hostname, domainname and sysctls belong to the container, set once when it is created. */
    private void containerAttributes() {
        if (spec.hostname() != null && !spec.hostname().isEmpty()) {
            add(Op.SETHOSTNAME, "set the hostname to " + spec.hostname(), spec.hostname());
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty()) {
            add(Op.SETDOMAINNAME, "set the domainname to " + spec.domainname(), spec.domainname());
        }
        if (linux.sysctl() != null) {
            for (Map.Entry<String, String> e : linux.sysctl().entrySet()) {
                add(Op.PROC_WRITE, "set sysctl " + e.getKey(), "sys/" + e.getKey().replace('.', '/'), e.getValue());
            }
        }
    }

    private void processScheduling() throws PlanException {
        if (linux.personality() != null) {
            add(Op.PERSONALITY, "set the personality " + linux.personality().domain(),
                    ProcessAttributes.personality(linux.personality()));
        }
        if (process.scheduler() != null) {
            ProcessAttributes.Sched s = ProcessAttributes.sched(process.scheduler());
            add(Op.SCHED, "set the scheduler " + process.scheduler().policy(), s.policy(), s.flags(), s.nice(),
                    s.priority(), s.runtime(), s.deadline(), s.period());
        }
        if (process.ioPriority() != null) {
            add(Op.IOPRIO, "set the I/O priority", ProcessAttributes.ioprio(process.ioPriority()));
        }
        if (process.execCPUAffinity() != null && process.execCPUAffinity().finalCpus() != null) {
            add(Op.AFFINITY, "set the CPU affinity", CpuList.mask(process.execCPUAffinity().finalCpus()));
        }
        if (linux.memoryPolicy() != null) {
            ProcessAttributes.MemPolicy mp = ProcessAttributes.memoryPolicy(linux.memoryPolicy());
            add(Op.MEMPOLICY, "set the memory policy " + linux.memoryPolicy().mode(), mp.modeAndFlags(), mp.nodes());
        }
        // both labels take effect at the next execve, so they can be set now, while /proc is ours
        if (notBlank(process.apparmorProfile())) {
            add(Op.PROC_WRITE, "apply AppArmor profile " + process.apparmorProfile(), "self/" + ctx.appArmorExecAttr(),
                    "exec " + process.apparmorProfile());
        }
        if (notBlank(process.selinuxLabel())) {
            add(Op.PROC_WRITE, "apply SELinux label " + process.selinuxLabel(), "self/attr/exec", process.selinuxLabel());
        }
        boolean console = process.isTerminal() && ctx.consoleSocketFd() >= 0;
        // an exec'd process without a terminal stays in its caller's session, as with runc
        if (exec == null || console) {
            add(Op.SETSID, "start a new session");
        }
        if (console) {
            add(Op.CTTY, "make the console the controlling terminal");
        }
    }

    // ------------------------------------------------------------------ stage 2: credentials

    private void credentials() {
        if (process.isNoNewPrivileges()) {
            add(Op.NO_NEW_PRIVS, "set no_new_privs");
        }
        PlanContext.SeccompProgram seccomp = ctx.seccomp();
        // Without no_new_privs loading a filter needs CAP_SYS_ADMIN, so it must precede the drop.
        if (seccomp != null && (!process.isNoNewPrivileges() || seccomp.hasListener())) {
            add(Op.SECCOMP, "load the seccomp filter", seccomp.flags(), seccomp.bpf(), seccomp.hasListener() ? 1L : 0L);
        }
        LinuxCapabilities caps = process.capabilities();
        if (caps != null) {
            add(Op.CAP_BOUNDING, "drop capabilities from the bounding set", mask(caps.bounding()));
        }
        User user = process.user();
        long uid = user == null ? 0 : user.uidOrZero();
        long gid = user == null ? 0 : user.gidOrZero();
        List<Long> extra = user == null || user.additionalGids() == null ? List.of() : user.additionalGids();
        byte[] packed = new byte[extra.size() * 4];
        for (int i = 0; i < extra.size(); i++) {
            long g = extra.get(i);
            for (int b = 0; b < 4; b++) {
                packed[i * 4 + b] = (byte) (g >> (8 * b));
            }
        }
        add(Op.SETGROUPS, "set the supplementary groups", packed);
        add(Op.SETGID, "set gid " + gid, gid);
        add(Op.SETUID, "set uid " + uid, uid);
        if (caps != null) {
            add(Op.CAPSET, "set capabilities", mask(caps.effective()), mask(caps.permitted()), mask(caps.inheritable()));
            if (caps.ambient() != null && !caps.ambient().isEmpty()) {
                add(Op.AMBIENT, "raise ambient capabilities", mask(caps.ambient()));
            }
        }
        long umask = user != null && user.umask() != null ? user.umask() : DEFAULT_UMASK;
        add(Op.UMASK, "set the umask", umask);
    }

    static long mask(List<String> names) {
        long m = 0;
        for (String name : names == null ? List.<String>of() : names) {
            int bit = Capabilities.number(name);
            if (bit >= 0) {
                m |= 1L << bit;
            }
        }
        return m;
    }

    // ------------------------------------------------------------------ hand-over

    private void handOver() {
        add(Op.CLOSE_SETUP_FDS, "close set-up file descriptors");
        add(Op.CHDIR, "chdir to cwd " + process.cwd(), process.cwd() == null ? "/" : process.cwd());
        List<String> env = process.env() == null ? List.of() : process.env();
        // its errors are complete sentences in runc's words (podman matches them)
        add(Op.LOOKUP_EXEC, "", process.args().get(0), pathOf(env));
        if (!hasVar(env, "HOME")) {
            User user = process.user();
            add(Op.DEFAULT_HOME, "find the home directory", user == null ? 0L : user.uidOrZero());
        }
        add(Op.REPORT_CREATED, exec == null ? "report the container created" : "report the process started");
        if (exec == null) {
            add(Op.WAIT_START, "wait for start", (long) ctx.fifoFd());
            if (spec.hooks() != null) {
                hookSteps("startContainer", spec.hooks().startContainer());
            }
        }
        PlanContext.SeccompProgram seccomp = ctx.seccomp();
        if (seccomp != null && process.isNoNewPrivileges() && !seccomp.hasListener()) {
            add(Op.SECCOMP, "load the seccomp filter", seccomp.flags(), seccomp.bpf(), 0L);
        }
        add(Op.EXEC, "exec " + process.args().get(0), process.args(), env);
    }

    static boolean hasVar(List<String> env, String name) {
        for (String kv : env) {
            if (kv.startsWith(name + "=")) {
                return true;
            }
        }
        return false;
    }

    /** The last PATH wins, as with getenv on an env built in order. */
    static String pathOf(List<String> env) {
        String path = "";
        for (String kv : env) {
            if (kv.startsWith("PATH=")) {
                path = kv.substring(5);
            }
        }
        return path;
    }

    private static Linux emptyLinux() {
        return new Linux(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }
}
