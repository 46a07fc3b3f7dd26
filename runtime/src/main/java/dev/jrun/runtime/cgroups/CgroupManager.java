package dev.jrun.runtime.cgroups;

import dev.jrun.runtime.plan.CgroupView;
import dev.jrun.spec.model.LinuxResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A container's cgroup on one host: creating it, placing processes, limits, freezing and
 * removal.  Later commands rebuild it from the paths stored in state.json, so they never
 * re-derive (or re-detect) anything.
 */
public abstract class CgroupManager {

    /** The key under which the unified (cgroup2) directory is stored in {@link #paths()}. */
    public static final String UNIFIED = "";

    /** Host directories of the container's cgroup, keyed by v1 controller or {@link #UNIFIED}. */
    public abstract Map<String, String> paths();

    /**
     * Refuses what this driver can never set, whatever the host's cgroups hold, so that create
     * fails before it makes anything.
     */
    public void refuseUnsupported(LinuxResources resources) throws CgroupException {
    }

    /** Creates the directories (and on v2 enables the controllers the limits need). */
    public abstract void create(LinuxResources resources) throws CgroupException;

    /** Writes every limit in {@code resources}; refuses what this host cannot enforce. */
    public abstract void apply(LinuxResources resources) throws CgroupException;

    /**
     * `update`: the new limits of a running container.  Device rules are left as they are,
     * as runc leaves them: rewriting them would briefly deny a running container its devices.
     */
    public abstract void update(LinuxResources resources) throws CgroupException;

    public abstract void addProcess(int pid) throws CgroupException;

    /** Every process in the container's cgroup (and below it). */
    public abstract List<Integer> pids() throws CgroupException;

    /**
     * The processes in this cgroup or below it in any of its hierarchies, each once: before
     * create, where {@link #pids()} (one hierarchy, enough for the cgroup jrun itself filled)
     * could miss a process another manager put into just one of them.
     */
    public Set<Integer> processesInAnyHierarchy() throws CgroupException {
        return new LinkedHashSet<>(pids());
    }

    /**
     * Whether a process placed in this cgroup would stop at once: the cgroup is frozen (or
     * freezing), or it does not exist yet and would inherit the freeze of the nearest ancestor
     * that does.  Unreadable freezer state counts as thawed.
     */
    public abstract boolean frozenBeforeCreate();

    public abstract void setFrozen(boolean frozen) throws CgroupException;

    /**
     * SIGKILLs every process of the cgroup in one step where the kernel can (cgroup v2's
     * cgroup.kill, which also catches processes being forked); false where it cannot.
     */
    public boolean killAll() throws CgroupException {
        return false;
    }

    public abstract boolean isFrozen();

    /** Removes the cgroup; processes must be gone.  Missing directories are not an error. */
    public abstract void destroy() throws CgroupException;

    /**
     * What creating this cgroup will make, asked before it is made: per controller, its
     * directory if that does not exist yet (only such a one is ever removed by an undo: one that
     * existed may hold another's processes), and the topmost missing directory above it, for
     * the parents of a nested cgroupsPath.
     */
    public record NewDirs(Map<String, String> cgroups, Map<String, String> parents) {
        public NewDirs {
            cgroups = cgroups == null ? Map.of() : Map.copyOf(cgroups);
            parents = parents == null ? Map.of() : Map.copyOf(parents);
        }
    }

    public NewDirs newDirs() {
        Map<String, String> cgroups = new LinkedHashMap<>();
        Map<String, String> parents = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : paths().entrySet()) {
            Path dir = Path.of(e.getValue());
            if (Files.exists(dir)) {
                continue;
            }
            cgroups.put(e.getKey(), e.getValue());
            Path top = null;
            for (Path p = dir.getParent(); p != null && !Files.exists(p); p = p.getParent()) {
                top = p;
            }
            if (top != null) {
                parents.put(e.getKey(), top.toString());
            }
        }
        return new NewDirs(cgroups, parents);
    }

    /**
     * Removes the parent directories a create made (see {@link NewDirs#parents}) once the
     * container's own cgroup is gone: runtime.md has delete remove what create made.  Nearest
     * first, up to the recorded top; one that another container lives in stays, and so do the
     * ones above it.
     */
    public void removeParents(Map<String, String> parents) {
        for (Map.Entry<String, String> e : parents.entrySet()) {
            String own = paths().get(e.getKey());
            Path top = Path.of(e.getValue());
            if (own == null || !Path.of(own).startsWith(top)) {
                continue;
            }
            for (Path p = Path.of(own).getParent(); p != null && p.startsWith(top); p = p.getParent()) {
                try {
                    Files.deleteIfExists(p); // co-mounted controllers share a directory
                } catch (IOException notEmpty) {
                    break;
                }
            }
        }
    }

    /** What mounting /sys/fs/cgroup inside the container needs to know. */
    public abstract CgroupView view();

    /** Resource usage for `events --stats` and `ps`. */
    public abstract CgroupStats stats() throws CgroupException;

    /**
     * Whether the cgroup with these stored paths is frozen, read straight from the freezer
     * file: `state` must not pay for detecting the host's cgroup layout.
     */
    public static boolean isFrozen(Map<String, String> paths) {
        try {
            String freezer = paths.get("freezer");
            if (freezer != null) {
                return read(Path.of(freezer, "freezer.state")).equals("FROZEN");
            }
            String unified = paths.get(UNIFIED);
            if (unified != null && paths.size() == 1) {
                return read(Path.of(unified, "cgroup.events")).contains("frozen 1");
            }
        } catch (CgroupException e) {
            // a vanished cgroup is not frozen
        }
        return false;
    }

    /** The manager for a container being created. */
    public static CgroupManager forNewContainer(CgroupHost host, String cgroupsPath, String id) throws CgroupException {
        String path = cgroupsPath == null || cgroupsPath.isEmpty() ? id : cgroupsPath;
        if (path.contains("..")) {
            for (String part : path.split("/")) {
                if (part.equals("..")) {
                    throw new CgroupException("linux.cgroupsPath: must not contain \"..\": " + cgroupsPath);
                }
            }
        }
        if (host.mode() == CgroupHost.Mode.UNIFIED) {
            return new V2Manager(host.unifiedMount(), resolve(host.unifiedMount(), "/", host.ownCgroups().get(""), path));
        }
        java.util.LinkedHashMap<String, String> paths = new LinkedHashMap<>();
        for (CgroupHost.V1Mount m : host.v1Mounts()) {
            String dir = resolve(m.mountPoint(), m.root(), host.ownCgroups().get(m.key()), path);
            if (m.name() != null) {
                paths.put(m.key(), dir);
            }
            for (String c : m.controllers()) {
                paths.put(c, dir);
            }
        }
        if (host.mode() == CgroupHost.Mode.HYBRID) {
            paths.put(UNIFIED, resolve(host.unifiedMount(), "/", host.ownCgroups().get(""), path));
        }
        return new V1Manager(host, paths);
    }

    /** The manager of an existing container, from its stored paths. */
    public static CgroupManager fromPaths(Map<String, String> paths) throws CgroupException {
        if (paths.isEmpty()) {
            throw new CgroupException("the container has no cgroup recorded");
        }
        if (paths.size() == 1 && paths.containsKey(UNIFIED)) {
            return new V2Manager(null, paths.get(UNIFIED));
        }
        try {
            return new V1Manager(CgroupHost.detect(), paths);
        } catch (IOException e) {
            throw new CgroupException("read the host's cgroup mounts: " + e.getMessage(), e);
        }
    }

    /**
     * runc's interpretation of cgroupsPath: absolute paths are relative to the hierarchy's
     * root, relative ones to the caller's own cgroup in that hierarchy.
     */
    static String resolve(String mountPoint, String mountRoot, String ownCgroup, String path) {
        String base;
        if (path.startsWith("/")) {
            base = "";
        } else {
            String own = ownCgroup == null ? "/" : ownCgroup;
            // inside a cgroup namespace /proc/self/cgroup is relative to the mount's root already
            if (!mountRoot.equals("/") && own.startsWith(mountRoot)) {
                own = own.substring(mountRoot.length());
            }
            base = own.equals("/") ? "" : own;
        }
        String joined = base + "/" + path;
        return Path.of(mountPoint + joined).normalize().toString();
    }

    // ------------------------------------------------------------------ shared file helpers

    static List<Integer> readPids(Path procs) throws CgroupException {
        List<Integer> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(procs)) {
                if (!line.isBlank()) {
                    pids.add(Integer.parseInt(line.trim()));
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return pids;
        } catch (IOException e) {
            throw new CgroupException("read " + procs + ": " + e.getMessage(), e);
        }
        return pids;
    }

    /** dir and every cgroup below it, children first, so a walk can also rmdir. */
    static List<Path> subtree(Path dir) throws CgroupException {
        List<Path> dirs = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            collect(dir, dirs);
        }
        return dirs;
    }

    private static void collect(Path dir, List<Path> out) throws CgroupException {
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    collect(p, out);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return; // removed meanwhile
        } catch (IOException e) {
            throw new CgroupException("list " + dir + ": " + e.getMessage(), e);
        }
        out.add(dir);
    }

    static void write(Path file, String value) throws CgroupException {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new CgroupException("write " + value.trim() + " to " + file + ": " + Cgroups.reason(e), e);
        }
    }

    /** dir itself if it exists, else its nearest ancestor that does (null if none). */
    static Path nearestExisting(Path dir) {
        Path p = dir;
        while (p != null && !Files.isDirectory(p)) {
            p = p.getParent();
        }
        return p;
    }

    static String read(Path file) throws CgroupException {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new CgroupException("read " + file + ": " + Cgroups.reason(e), e);
        }
    }

    /**
     * rmdir, retrying briefly: a cgroup stays busy for a moment after its last process exits.
     */
    static void removeDir(Path dir) throws CgroupException {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // a cgroup directory is "empty" to rmdir when it has no children and no processes;
                // its control files do not count, but Java's delete reports EBUSY this way
                if (attempt >= 50) {
                    throw new CgroupException("remove " + dir + ": still in use", e);
                }
            } catch (IOException e) {
                if (attempt >= 50) {
                    throw new CgroupException("remove " + dir + ": " + Cgroups.reason(e), e);
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CgroupException("remove " + dir + ": interrupted");
            }
        }
    }
}
