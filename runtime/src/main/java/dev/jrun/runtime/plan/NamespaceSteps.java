package dev.jrun.runtime.plan;

import dev.jrun.runtime.process.Wire;
import dev.jrun.spec.linux.CpuList;
import dev.jrun.spec.linux.NamespaceType;
import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.spec.model.LinuxNamespace;
import dev.jrun.spec.model.LinuxTimeOffset;
import java.util.List;
import java.util.Map;

/**
 * Stage 1: the executor's first process joins the cgroup and the namespaces given by path,
 * creates the new ones (the parent writes the id maps of a new user namespace meanwhile), and
 * forks the process that becomes the container's: a new pid namespace applies to children only.
 */
final class NamespaceSteps {
    /**
     * Every CPU: sched_setaffinity(2) keeps of it those online and in the cgroup's cpuset, so
     * this is "all the container may use", however jrun itself was started (taskset, systemd).
     */
    static final byte[] ALL_CPUS = allCpus();

    private NamespaceSteps() {
    }

    private static byte[] allCpus() {
        byte[] mask = new byte[128];
        java.util.Arrays.fill(mask, (byte) 0xff);
        return mask;
    }

    static void create(Compilation c) throws PlanException {
        c.add(new Step.Sync(Wire.SYNC_CGROUP), "join the container's cgroup");
        // execCPUAffinity is for exec'd processes; the init gets the whole cpuset, not jrun's own affinity
        c.add(new Step.Affinity(ALL_CPUS), "reset the CPU affinity to the container's cpuset");
        oomScoreAdj(c);
        openMountSources(c);
        List<String> paths = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        java.io.ByteArrayOutputStream types = new java.io.ByteArrayOutputStream();
        for (NamespaceType type : NamespaceType.values()) {
            LinuxNamespace ns = c.linux.namespace(type.type);
            if (ns != null && !ns.isNew()) {
                paths.add(ns.path());
                names.add(type.type);
                for (int b = 0; b < 4; b++) {
                    types.write((int) (type.cloneFlag >> (8 * b)));
                }
            }
        }
        if (!paths.isEmpty()) {
            // its errors are complete sentences: which namespace, which path
            c.add(new Step.JoinNamespaces(paths, types.toByteArray(), names), "");
        }
        LinuxNamespace user = c.linux.namespace(NamespaceType.USER.type);
        boolean newUser = user != null && user.isNew();
        if (newUser) {
            c.add(new Step.Unshare(NamespaceType.USER.cloneFlag), "create the user namespace");
            c.add(new Step.Sync(Wire.SYNC_USERNS), "write the uid/gid mappings");
        }
        long flags = 0;
        for (LinuxNamespace ns : c.linux.namespaces() == null ? List.<LinuxNamespace>of() : c.linux.namespaces()) {
            if (ns.isNew() && !NamespaceType.USER.type.equals(ns.type())) {
                flags |= NamespaceType.flag(ns.type());
            }
        }
        if (flags != 0) {
            c.add(new Step.Unshare(flags), "create namespaces " + NamespaceType.names(flags));
        }
        if ((flags & NamespaceType.TIME.cloneFlag) != 0 && c.linux.timeOffsets() != null
                && !c.linux.timeOffsets().isEmpty()) {
            StringBuilder offsets = new StringBuilder();
            for (Map.Entry<String, LinuxTimeOffset> e : c.linux.timeOffsets().entrySet()) {
                LinuxTimeOffset o = e.getValue();
                offsets.append(e.getKey()).append(' ').append(o.secs() == null ? 0 : o.secs()).append(' ')
                        .append(o.nanosecs() == null ? 0 : o.nanosecs()).append('\n');
            }
            c.add(new Step.ProcWrite("self/timens_offsets", offsets.toString()), "set the time namespace offsets");
        }
        // Only now: as a mapped uid, the non-dumpable executor could no longer open /proc/self files.
        if (newUser && maps(c.linux.uidMappings(), 0) && maps(c.linux.gidMappings(), 0)) {
            c.add(new Step.SetGid(0), "become root in the user namespace");
            c.add(new Step.SetUid(0), "become root in the user namespace");
        }
        c.add(new Step.Fork(), "start the container process");
    }

    /**
     * With a user namespace, the container's root may not be allowed to open a bind source the
     * runtime can (a directory only host root may enter): clone every source while still outside
     * it, for jrun-init to fall back on.  Only a fallback: a source resolves inside the container's
     * mount namespace when it can, so it sees what the config mounted before it.  Id-mapped
     * sources are always made here, user namespace or not (see {@link IdMappedMounts}).
     */
    private static void openMountSources(Compilation c) throws PlanException {
        boolean userns = c.linux.hasNamespace(NamespaceType.USER.type);
        if (c.spec.mounts() == null || !userns && !IdMappedMounts.any(c.spec.mounts())) {
            return;
        }
        List<String> sources = new java.util.ArrayList<>();
        java.io.ByteArrayOutputStream recursive = new java.io.ByteArrayOutputStream();
        for (dev.jrun.spec.model.Mount m : c.spec.mounts()) {
            if (userns && FilesystemSteps.isBind(m) && !"cgroup".equals(m.type()) && !"cgroup2".equals(m.type())
                    && !IdMappedMounts.isIdMapped(m)) {
                c.sourceSlots.put(m, sources.size());
                sources.add(Paths.source(c.ctx.container().bundle(), m.source()));
                recursive.write(dev.jrun.spec.linux.MountOptions.parse(m.options()).recursiveBind() ? 1 : 0);
            }
        }
        if (!sources.isEmpty()) {
            c.add(new Step.OpenMountSources(sources, recursive.toByteArray()), "open the bind mount sources");
        }
        IdMappedMounts.add(c, sources.size());
    }

    /** exec: every namespace of the container at once, through a pidfd of its init. */
    static void join(Compilation c) throws PlanException {
        initialAffinity(c);
        c.add(new Step.Sync(Wire.SYNC_CGROUP), "join the container's cgroup");
        if (c.process.execCPUAffinity() == null
                || c.process.execCPUAffinity().initial() == null && c.process.execCPUAffinity().finalCpus() == null) {
            c.add(new Step.Affinity(ALL_CPUS), "reset the CPU affinity to the container's cpuset");
        }
        oomScoreAdj(c);
        c.add(new Step.SetnsFd(c.exec.pidfd(), c.exec.namespaces()), "join the container's namespaces");
        c.add(new Step.Fork(), "start the process");
    }

    /** Every namespace the container has, created or joined, as CLONE_NEW* flags. */
    static long flags(List<LinuxNamespace> namespaces) {
        long flags = 0;
        for (LinuxNamespace ns : namespaces == null ? List.<LinuxNamespace>of() : namespaces) {
            flags |= NamespaceType.flag(ns.type());
        }
        return flags;
    }

    private static void initialAffinity(Compilation c) throws PlanException {
        if (c.process.execCPUAffinity() != null && c.process.execCPUAffinity().initial() != null) {
            c.add(new Step.Affinity(CpuList.mask(c.process.execCPUAffinity().initial())),
                    "set the initial CPU affinity");
        }
    }

    /** While still privileged on the host: lowering it needs CAP_SYS_RESOURCE there; children inherit it. */
    private static void oomScoreAdj(Compilation c) {
        if (c.process.oomScoreAdj() != null) {
            c.add(new Step.ProcWrite("self/oom_score_adj", String.valueOf(c.process.oomScoreAdj())),
                    "set oom_score_adj");
        }
    }

    private static boolean maps(List<LinuxIDMapping> mappings, long id) {
        for (LinuxIDMapping m : mappings == null ? List.<LinuxIDMapping>of() : mappings) {
            if (m.containerID() != null && m.size() != null && id >= m.containerID() && id < m.containerID() + m.size()) {
                return true;
            }
        }
        return false;
    }
}
