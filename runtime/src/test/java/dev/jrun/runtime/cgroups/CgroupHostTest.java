package dev.jrun.runtime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How this host's cgroups are mounted, read from mountinfo lines like this machine's. */
class CgroupHostTest {
    private static final List<String> HYBRID = List.of(
            "25 30 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
            "26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw",
            "27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid shared:11 - cgroup cgroup rw,xattr,name=systemd",
            "28 25 0:25 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:12 - cgroup cgroup rw,cpu,cpuacct",
            "29 25 0:26 / /sys/fs/cgroup/memory rw,nosuid shared:13 - cgroup cgroup rw,memory");

    /** What a container without a mount namespace of its own adds to its caller's mountinfo. */
    private static final List<String> CONTAINER_BINDS = List.of(
            "61 60 0:23 /c1 /srv/b/rootfs/sys/fs/cgroup/unified ro,nosuid - cgroup2 cgroup2 rw",
            "62 60 0:25 /c1 /srv/b/rootfs/sys/fs/cgroup/cpu,cpuacct ro,nosuid - cgroup cgroup rw,cpu,cpuacct",
            "63 60 0:26 /c1 /srv/b/rootfs/sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory");

    @Test
    void aHybridHostHasV1ControllersAndAUnifiedMount() {
        CgroupHost h = CgroupHost.parse(HYBRID, List.of("0::/user.slice", "4:memory:/user.slice"));
        assertEquals(CgroupHost.Mode.HYBRID, h.mode());
        assertEquals("/sys/fs/cgroup/unified", h.unifiedMount());
        assertEquals("/sys/fs/cgroup/memory", h.v1("memory").mountPoint());
        assertEquals(List.of("name=systemd", "cpu,cpuacct", "memory"), h.v1Mounts().stream().map(CgroupHost.V1Mount::key).toList());
    }

    @Test
    void bindsOfTheHierarchiesLaterInMountinfoAreNotTheHosts() {
        List<String> lines = new java.util.ArrayList<>(HYBRID);
        lines.addAll(CONTAINER_BINDS);
        CgroupHost h = CgroupHost.parse(lines, List.of("0::/"));
        assertEquals("/sys/fs/cgroup/unified", h.unifiedMount());
        assertEquals("/sys/fs/cgroup/memory", h.v1("memory").mountPoint());
        assertEquals(3, h.v1Mounts().size());
    }
}
