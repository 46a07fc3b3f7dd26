package dev.jrun.runtime.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How this host mounts cgroups, read from /proc/self/mountinfo and /proc/self/cgroup the way
 * runc reads them: unified (cgroup2 at /sys/fs/cgroup), hybrid (v1 controllers plus cgroup2
 * at /sys/fs/cgroup/unified) or legacy (v1 only).
 */
public record CgroupHost(Mode mode, String unifiedMount, List<V1Mount> v1Mounts, Map<String, String> ownCgroups) {
    public enum Mode { UNIFIED, HYBRID, LEGACY }

    /**
     * A mounted v1 hierarchy.
     *
     * @param root the cgroup the mount shows at its mount point (not "/" inside a cgroup namespace)
     * @param controllers e.g. [cpu, cpuacct], or [] for a named hierarchy
     * @param name the hierarchy name of a named hierarchy (e.g. "systemd"), else null
     */
    public record V1Mount(String mountPoint, String root, List<String> controllers, String name) {
        public V1Mount {
            controllers = List.copyOf(controllers);
        }

        /** The key /proc/self/cgroup uses for this hierarchy: "cpu,cpuacct" or "name=systemd". */
        public String key() {
            return name != null ? "name=" + name : String.join(",", controllers);
        }
    }

    public CgroupHost {
        v1Mounts = List.copyOf(v1Mounts);
        ownCgroups = Map.copyOf(ownCgroups);
    }

    public static CgroupHost detect() throws IOException {
        return parse(Files.readAllLines(Path.of("/proc/self/mountinfo")),
                Files.readAllLines(Path.of("/proc/self/cgroup")));
    }

    /**
     * As {@link #detect()}, with the cgroups of another process of this mount namespace (the
     * caller jrun acts for, whose cgroup a relative cgroupsPath is under).
     */
    public static CgroupHost detect(int pid) throws IOException {
        return parse(Files.readAllLines(Path.of("/proc/self/mountinfo")),
                Files.readAllLines(Path.of("/proc", String.valueOf(pid), "cgroup")));
    }

    static CgroupHost parse(List<String> mountinfo, List<String> selfCgroup) {
        String unified = null;
        boolean unifiedAtRoot = false;
        List<V1Mount> v1 = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            if (dash < 0 || dash + 3 >= f.length) {
                continue;
            }
            String fstype = f[dash + 1];
            String mountPoint = unescape(f[4]);
            if (fstype.equals("cgroup2")) {
                if (mountPoint.equals("/sys/fs/cgroup")) {
                    unified = mountPoint;
                    unifiedAtRoot = true;
                } else if (unified == null) {
                    // the first one: later ones are binds of it (a container sharing this
                    // mount namespace has its cgroup bound under its rootfs)
                    unified = mountPoint;
                }
            } else if (fstype.equals("cgroup")) {
                List<String> controllers = new ArrayList<>();
                String name = null;
                for (String opt : f[dash + 3].split(",")) {
                    if (opt.startsWith("name=")) {
                        name = opt.substring(5);
                    } else if (CONTROLLERS.contains(opt)) {
                        controllers.add(opt);
                    }
                }
                V1Mount mount = new V1Mount(mountPoint, unescape(f[3]), controllers, name);
                if (seen.add(mount.key())) {
                    v1.add(mount);
                }
            }
        }
        Map<String, String> own = new LinkedHashMap<>();
        for (String line : selfCgroup) {
            String[] f = line.split(":", 3);
            if (f.length == 3) {
                own.put(f[1], f[2]);
            }
        }
        Mode mode = unifiedAtRoot ? Mode.UNIFIED : unified != null && !v1.isEmpty() ? Mode.HYBRID
                : v1.isEmpty() && unified != null ? Mode.UNIFIED : Mode.LEGACY;
        if (mode == Mode.UNIFIED) {
            v1 = List.of();
        }
        return new CgroupHost(mode, unified, v1, own);
    }

    /** The v1 controllers the kernel knows (a hierarchy's options also carry things like "rw"). */
    static final List<String> CONTROLLERS = List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
            "blkio", "pids", "hugetlb", "net_cls", "net_prio", "perf_event", "rdma", "misc");

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    public V1Mount v1(String controller) {
        for (V1Mount m : v1Mounts) {
            if (m.controllers().contains(controller)) {
                return m;
            }
        }
        return null;
    }
}
