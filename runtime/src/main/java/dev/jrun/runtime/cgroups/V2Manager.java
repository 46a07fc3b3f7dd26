package dev.jrun.runtime.cgroups;

import dev.jrun.runtime.plan.CgroupView;
import dev.jrun.spec.model.LinuxResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The unified (cgroup v2) driver. */
final class V2Manager extends CgroupManager {
    private final Path mount;
    private final Path dir;

    /** @param mount the cgroup2 mount point; only needed to create the cgroup */
    V2Manager(String mount, String dir) {
        this.mount = mount == null ? null : Path.of(mount);
        this.dir = Path.of(dir);
    }

    @Override
    public Map<String, String> paths() {
        return Map.of(UNIFIED, dir.toString());
    }

    @Override
    public void create(LinuxResources resources) throws CgroupException {
        Set<String> needed = V2Resources.controllersFor(resources);
        Path level = mount;
        // every level between the root and us must delegate the controllers the limits need
        for (Path part : mount.relativize(dir)) {
            enableControllers(level, needed);
            level = level.resolve(part.toString());
            if (!Files.isDirectory(level)) {
                try {
                    Files.createDirectory(level);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // a concurrent create made it: fine
                } catch (IOException e) {
                    throw new CgroupException("create cgroup " + level + ": " + Cgroups.reason(e), e);
                }
            }
        }
    }

    private void enableControllers(Path level, Set<String> needed) throws CgroupException {
        Set<String> available = Set.of(read(level.resolve("cgroup.controllers")).split(" "));
        Set<String> enabled = Set.of(read(level.resolve("cgroup.subtree_control")).split(" "));
        Set<String> missing = new LinkedHashSet<>();
        for (String c : needed) {
            if (!available.contains(c)) {
                throw new CgroupException("cgroup controller " + c + " is not available in " + level
                        + " (available: " + String.join(" ", available) + "); the requested limits need it");
            }
            if (!enabled.contains(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (String c : missing) {
                sb.append(sb.length() == 0 ? "" : " ").append('+').append(c);
            }
            write(level.resolve("cgroup.subtree_control"), sb.toString());
        }
    }

    @Override
    public void apply(LinuxResources resources) throws CgroupException {
        for (CgroupWrite w : V2Resources.plan(resources, dir)) {
            write(dir.resolve(w.file()), w.value());
        }
        V2Resources.applyDevices(resources, dir);
    }

    @Override
    public void update(LinuxResources resources) throws CgroupException {
        for (CgroupWrite w : V2Resources.plan(resources, dir)) {
            write(dir.resolve(w.file()), w.value());
        }
    }

    @Override
    public void addProcess(int pid) throws CgroupException {
        write(dir.resolve("cgroup.procs"), Integer.toString(pid));
    }

    @Override
    public List<Integer> pids() throws CgroupException {
        List<Integer> pids = new ArrayList<>();
        for (Path d : subtree(dir)) {
            pids.addAll(readPids(d.resolve("cgroup.procs")));
        }
        return pids;
    }

    @Override
    public void setFrozen(boolean frozen) throws CgroupException {
        write(dir.resolve("cgroup.freeze"), frozen ? "1" : "0");
        // the kernel freezes asynchronously; cgroup.events reports when it is done
        for (int i = 0; i < 1000; i++) {
            if (frozenState() == frozen) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new CgroupException((frozen ? "freeze " : "thaw ") + dir + ": timed out");
    }

    private boolean frozenState() throws CgroupException {
        for (String line : read(dir.resolve("cgroup.events")).split("\n")) {
            if (line.startsWith("frozen ")) {
                return line.endsWith("1");
            }
        }
        return false;
    }

    @Override
    public boolean isFrozen() {
        try {
            return Files.isDirectory(dir) && frozenState();
        } catch (CgroupException e) {
            return false;
        }
    }

    /** cgroup.kill (5.14+) kills every process below us atomically, even ones being forked. */
    @Override
    public boolean killAll() throws CgroupException {
        Path kill = dir.resolve("cgroup.kill");
        if (!Files.exists(kill)) {
            return false;
        }
        write(kill, "1");
        return true;
    }

    @Override
    public void destroy() throws CgroupException {
        for (Path d : subtree(dir)) {
            removeDir(d);
        }
    }

    @Override
    public CgroupView view() {
        return new CgroupView(dir.toString(), true, List.of());
    }

    @Override
    public CgroupStats stats() throws CgroupException {
        return CgroupStats.readV2(dir);
    }
}
