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
        Map<String, String> needed = V2Resources.controllerReasons(resources);
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

    /**
     * Enables in {@code level}'s cgroup.subtree_control the controllers the limits need (an
     * error naming the field when one is not available), then, as runc does, every other
     * available controller, best effort: a later `update` may set limits the container was
     * created without (docker update --cpus on a container started without CPU limits), and
     * their files exist only if the parent enabled the controller.
     */
    private void enableControllers(Path level, Map<String, String> needed) throws CgroupException {
        Set<String> available = words(read(level.resolve("cgroup.controllers")));
        Set<String> enabled = words(read(level.resolve("cgroup.subtree_control")));
        Set<String> missing = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : needed.entrySet()) {
            String c = e.getKey();
            if (!available.contains(c)) {
                throw new CgroupException("cgroup controller " + c + " is not available in " + level
                        + " (available: " + String.join(" ", available) + "); " + e.getValue() + " needs it");
            }
            if (!enabled.contains(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            write(level.resolve("cgroup.subtree_control"), plusList(missing));
        }
        Set<String> others = new LinkedHashSet<>(available);
        others.removeAll(enabled);
        others.removeAll(missing);
        if (others.isEmpty()) {
            return;
        }
        Path control = level.resolve("cgroup.subtree_control");
        try {
            Files.writeString(control, plusList(others));
        } catch (IOException e) {
            // one of them cannot be enabled here (e.g. cpu with realtime tasks): the rest still can
            for (String c : others) {
                try {
                    Files.writeString(control, "+" + c);
                } catch (IOException ignored) {
                    // not needed by the limits: a later update asking for it reports the missing file
                }
            }
        }
    }

    private static Set<String> words(String s) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : s.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static String plusList(Set<String> controllers) {
        StringBuilder sb = new StringBuilder();
        for (String c : controllers) {
            sb.append(sb.length() == 0 ? "" : " ").append('+').append(c);
        }
        return sb.toString();
    }

    @Override
    public void apply(LinuxResources resources) throws CgroupException {
        writeAll(V2Resources.plan(resources, dir));
        V2Resources.applyDevices(resources, dir);
    }

    @Override
    public void update(LinuxResources resources) throws CgroupException {
        writeAll(V2Resources.plan(resources, dir));
    }

    /**
     * The plan's writes, after checking that every file exists: a control file is missing when
     * the parent does not delegate its controller, and writing it would fail half-way through
     * the plan with a bare EACCES (the kernel refuses to create files in cgroupfs).
     */
    private void writeAll(List<CgroupWrite> plan) throws CgroupException {
        for (CgroupWrite w : plan) {
            if (!Files.exists(w.fileIn(dir))) {
                String file = w.file();
                int dot = file.indexOf('.');
                String controller = dot > 0 ? file.substring(0, dot) : file;
                String have;
                try {
                    have = read(dir.resolve("cgroup.controllers"));
                } catch (CgroupException e) {
                    throw new CgroupException(w.reason() + ": the cgroup " + dir + " does not exist", e);
                }
                if (words(have).contains(controller)) {
                    throw new CgroupException(w.reason() + ": " + dir.resolve(file)
                            + " does not exist: this kernel does not provide it");
                }
                throw new CgroupException(w.reason() + ": " + dir.resolve(file) + " does not exist: the " + controller
                        + " controller is not enabled for this cgroup (enabled: " + have + ")");
            }
        }
        for (CgroupWrite w : plan) {
            write(w.fileIn(dir), w.value());
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
        return frozenState(dir);
    }

    /** cgroup.events says frozen also when an ancestor's freeze holds the cgroup. */
    private static boolean frozenState(Path cgroup) throws CgroupException {
        for (String line : read(cgroup.resolve("cgroup.events")).split("\n")) {
            if (line.startsWith("frozen ")) {
                return line.endsWith("1");
            }
        }
        return false;
    }

    /**
     * cgroup.freeze is the cgroup's own request, which a new child inherits, and holds before
     * the cgroup's processes have all stopped.
     */
    @Override
    public boolean frozenBeforeCreate() {
        Path existing = nearestExisting(dir);
        if (existing == null) {
            return false;
        }
        try {
            return read(existing.resolve("cgroup.freeze")).equals("1") || frozenState(existing);
        } catch (CgroupException e) {
            return false; // the root cgroup has neither file
        }
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
        return V2StatsReader.read(dir);
    }
}
