package dev.jrun.runtime.plan;

import java.util.List;

/**
 * Where the container's cgroup lives on this host, as far as mounting /sys/fs/cgroup inside
 * the container needs to know.
 *
 * @param unifiedDir host directory of the container's cgroup in the cgroup2 hierarchy, or null
 * @param unifiedOnly true on a pure cgroup v2 host; false on legacy and hybrid hosts
 * @param hierarchies the v1 hierarchies (empty on a pure v2 host)
 */
public record CgroupView(String unifiedDir, boolean unifiedOnly, List<V1Hierarchy> hierarchies) {
    public CgroupView {
        hierarchies = List.copyOf(hierarchies);
    }

    /**
     * One mounted v1 hierarchy.
     *
     * @param name the directory name under /sys/fs/cgroup, e.g. "cpu,cpuacct" or "systemd"
     * @param mountOptions what selects it when mounting cgroup v1, e.g. ["cpu","cpuacct"] or ["name=systemd"]
     * @param aliases extra names (symlinks) for co-mounted controllers, e.g. ["cpu","cpuacct"]
     * @param hostDir host directory of the container's cgroup in this hierarchy
     */
    public record V1Hierarchy(String name, List<String> mountOptions, List<String> aliases, String hostDir) {
        public V1Hierarchy {
            mountOptions = List.copyOf(mountOptions);
            aliases = List.copyOf(aliases);
        }
    }
}
