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

/**
 * The v1 driver for legacy and hybrid hosts: one directory per hierarchy, plus the unified
 * one on a hybrid host (joined as runc joins it, for the controllers that live only there).
 */
final class V1Manager extends CgroupManager {
    private final CgroupHost host;
    private final Map<String, String> paths;

    V1Manager(CgroupHost host, Map<String, String> paths) {
        this.host = host;
        this.paths = Map.copyOf(paths);
    }

    @Override
    public Map<String, String> paths() {
        return paths;
    }

    /** Each directory once, co-mounted controllers sharing one. */
    private Set<Path> dirs() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String d : paths.values()) {
            dirs.add(Path.of(d));
        }
        return dirs;
    }

    private Path dirOf(String controller) {
        String d = paths.get(controller);
        return d == null ? null : Path.of(d);
    }

    @Override
    public void refuseUnsupported(LinuxResources resources) throws CgroupException {
        V1Resources.refuseUnified(resources);
    }

    @Override
    public void create(LinuxResources resources) throws CgroupException {
        Path cpuset = dirOf("cpuset");
        for (Path dir : dirs()) {
            if (dir.equals(cpuset)) {
                createCpuset(dir, resources);
            } else {
                makeDirs(dir);
            }
        }
    }

    private static void makeDirs(Path dir) throws CgroupException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            makeDir(p);
        }
    }

    private static void makeDir(Path p) throws CgroupException {
        try {
            Files.createDirectory(p);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // a concurrent create made it: fine
        } catch (IOException e) {
            throw new CgroupException("create cgroup " + p + ": " + Cgroups.reason(e), e);
        }
    }

    /**
     * A cpuset cgroup starts with no CPUs and no memory nodes, and no process can join it until
     * it has both (the kernel refuses with "no space left on device").  As runc does, every level
     * from the top of the hierarchy down, new or not (a pod's cgroup another manager made may
     * have been left empty), takes what it lacks from its parent.  The container's own cgroup
     * first gets the config's cpus and mems, so it inherits only what the config leaves out:
     * all of the parent's CPUs could clash with a sibling's exclusive ones.
     */
    private void createCpuset(Path dir, LinuxResources resources) throws CgroupException {
        Path top = Path.of(host.v1("cpuset").mountPoint());
        if (dir.equals(top) || !dir.startsWith(top)) {
            makeDirs(dir);
            return;
        }
        Path level = top;
        for (Path name : top.relativize(dir)) {
            Path parent = level;
            level = level.resolve(name.toString());
            if (!Files.isDirectory(level)) {
                makeDir(level);
            }
            if (level.equals(dir)) {
                List<CgroupWrite> own = new ArrayList<>();
                CgroupValues.cpuset(resources == null ? null : resources.cpu(), "cpuset", own);
                for (CgroupWrite w : own) {
                    write(w.fileIn(dir), w.value());
                }
            }
            inheritCpuset(level, parent, "cpuset.cpus");
            inheritCpuset(level, parent, "cpuset.mems");
        }
    }

    /** A hierarchy mounted without the "cpuset." prefix has no such files: left to fail at the join. */
    private static void inheritCpuset(Path dir, Path parent, String file) throws CgroupException {
        if (Files.exists(dir.resolve(file)) && read(dir.resolve(file)).isEmpty()) {
            write(dir.resolve(file), read(parent.resolve(file)));
        }
    }

    @Override
    public void apply(LinuxResources resources) throws CgroupException {
        for (CgroupWrite w : V1Resources.plan(resources, V1Resources.Current.of(paths))) {
            Path dir = dirOf(w.controller());
            if (dir == null) {
                throw new CgroupException("cgroup controller " + w.controller() + " is not mounted on this host; "
                        + w.reason() + " needs it");
            }
            write(w.fileIn(dir), w.value());
        }
    }

    /** Planned against the live cgroup, unchanged device rules produce no writes. */
    @Override
    public void update(LinuxResources resources) throws CgroupException {
        apply(resources);
    }

    @Override
    public void addProcess(int pid) throws CgroupException {
        for (Path dir : dirs()) {
            write(dir.resolve("cgroup.procs"), Integer.toString(pid));
        }
    }

    /** The hierarchy to count processes in: one every host has. */
    private Path pidsDir() {
        for (String c : List.of("pids", "freezer", "devices", "memory", "cpu")) {
            if (paths.containsKey(c)) {
                return dirOf(c);
            }
        }
        return dirs().iterator().next();
    }

    @Override
    public List<Integer> pids() throws CgroupException {
        List<Integer> pids = new ArrayList<>();
        for (Path d : subtree(pidsDir())) {
            pids.addAll(readPids(d.resolve("cgroup.procs")));
        }
        return pids;
    }

    @Override
    public Set<Integer> processesInAnyHierarchy() throws CgroupException {
        Set<Integer> found = new LinkedHashSet<>();
        for (Path dir : dirs()) {
            for (Path d : subtree(dir)) {
                found.addAll(readPids(d.resolve("cgroup.procs")));
            }
        }
        return found;
    }

    /** A v1 freezer.state says FROZEN also when an ancestor's freeze holds the cgroup. */
    @Override
    public boolean frozenBeforeCreate() {
        Path freezer = dirOf("freezer");
        Path existing = freezer == null ? null : nearestExisting(freezer);
        if (existing == null) {
            return false;
        }
        try {
            String state = read(existing.resolve("freezer.state"));
            return state.equals("FROZEN") || state.equals("FREEZING");
        } catch (CgroupException e) {
            return false; // the hierarchy's root has no freezer.state
        }
    }

    @Override
    public void setFrozen(boolean frozen) throws CgroupException {
        Path freezer = dirOf("freezer");
        if (freezer == null) {
            throw new CgroupException("cgroup controller freezer is not mounted on this host; pause and resume need it");
        }
        String want = frozen ? "FROZEN" : "THAWED";
        // the kernel may report FREEZING for a while; writing again nudges stragglers, as runc does
        for (int i = 0; i < 1000; i++) {
            write(freezer.resolve("freezer.state"), want);
            if (read(freezer.resolve("freezer.state")).equals(want)) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new CgroupException((frozen ? "freeze " : "thaw ") + freezer + ": timed out");
    }

    @Override
    public boolean isFrozen() {
        Path freezer = dirOf("freezer");
        try {
            return freezer != null && Files.isDirectory(freezer)
                    && read(freezer.resolve("freezer.state")).equals("FROZEN");
        } catch (CgroupException e) {
            return false;
        }
    }

    @Override
    public void destroy() throws CgroupException {
        CgroupException first = null;
        for (Path dir : dirs()) {
            try {
                for (Path d : subtree(dir)) {
                    removeDir(d);
                }
            } catch (CgroupException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public CgroupView view() {
        List<CgroupView.V1Hierarchy> hierarchies = new ArrayList<>();
        for (CgroupHost.V1Mount m : host.v1Mounts()) {
            String dir = m.name() != null ? paths.get(m.key()) : paths.get(m.controllers().get(0));
            if (dir == null) {
                continue;
            }
            String name = Path.of(m.mountPoint()).getFileName().toString();
            List<String> options = m.name() != null ? List.of("none", "name=" + m.name()) : m.controllers();
            List<String> aliases = new ArrayList<>();
            if (m.controllers().size() > 1) {
                for (String c : m.controllers()) {
                    if (!c.equals(name)) {
                        aliases.add(c);
                    }
                }
            }
            hierarchies.add(new CgroupView.V1Hierarchy(name, options, aliases, dir));
        }
        return new CgroupView(paths.get(UNIFIED), false, hierarchies);
    }

    @Override
    public CgroupStats stats() throws CgroupException {
        return V1StatsReader.read(paths);
    }
}
