package dev.jrun.cli.it.managers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cgroup hierarchies of this host (v1 controllers, named v1 hierarchies, the v2 unified
 * one) and this process's place in each. The manager tests create cgroups only under names they
 * own: a child of the test's own cgroup for a daemon, and top-level trees named after the test
 * run for containers; they remove them all at the end.
 */
final class Cgroups {
    private Cgroups() {}

    /**
     * One mounted hierarchy.
     *
     * @param key     what /proc/self/cgroup calls it: {@code memory}, {@code cpu,cpuacct},
     *                {@code name=systemd}, or {@code ""} for cgroup v2
     * @param mount   where it is mounted
     * @param ownPath this process's cgroup in it (e.g. {@code /} or {@code /user.slice})
     */
    record Hierarchy(String key, Path mount, String ownPath) {
        /** The directory of cgroup {@code path} (absolute within the hierarchy). */
        Path dir(String path) {
            String rel = path.replaceFirst("^/+", "");
            return rel.isEmpty() ? mount : mount.resolve(rel);
        }
    }

    /** Every hierarchy this process is in that is mounted here. */
    static List<Hierarchy> hierarchies() throws IOException {
        List<String[]> mounts = new ArrayList<>();   // {mountpoint, fstype, superopts}
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] halves = line.split(" - ", 2);
            String[] pre = halves[0].split(" ");
            String[] post = halves[1].split(" ");
            if ((post[0].equals("cgroup") || post[0].equals("cgroup2")) && pre[3].equals("/")) {
                mounts.add(new String[] {unescape(pre[4]), post[0], post.length > 2 ? post[2] : ""});
            }
        }
        List<Hierarchy> result = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8)) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            String key = f[1];
            for (String[] m : mounts) {
                boolean match;
                if (key.isEmpty()) {
                    match = m[1].equals("cgroup2");
                } else {
                    Set<String> opts = new HashSet<>(Arrays.asList(m[2].split(",")));
                    match = m[1].equals("cgroup") && opts.containsAll(Arrays.asList(key.split(",")));
                }
                if (match) {
                    result.add(new Hierarchy(key, Path.of(m[0]), f[2]));
                    break;
                }
            }
        }
        return result;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** The hierarchy of this controller (e.g. {@code memory}), or null. */
    static Hierarchy of(String controller) throws IOException {
        for (Hierarchy h : hierarchies()) {
            if (Arrays.asList(h.key().split(",")).contains(controller)) {
                return h;
            }
        }
        return null;
    }

    /**
     * Creates {@code name} as a child of this process's own cgroup in every hierarchy (cpuset's
     * cpus and mems copied from the parent, so a process may join) and returns the
     * {@code cgroup.procs} files to write a pid into.
     */
    static List<Path> createChildOfOwn(String name) throws IOException {
        List<Path> procs = new ArrayList<>();
        for (Hierarchy h : hierarchies()) {
            Path parent = h.dir(h.ownPath());
            Path dir = parent.resolve(name);
            Files.createDirectories(dir);
            if (Arrays.asList(h.key().split(",")).contains("cpuset")) {
                for (String f : List.of("cpuset.cpus", "cpuset.mems")) {
                    if (Files.readString(dir.resolve(f)).isBlank()) {
                        Files.writeString(dir.resolve(f), Files.readString(parent.resolve(f)).strip());
                    }
                }
            }
            procs.add(dir.resolve("cgroup.procs"));
        }
        return procs;
    }

    /** Removes cgroup {@code name}, a child of this process's own cgroup, from every hierarchy. */
    static List<String> removeChildOfOwn(String name) throws IOException {
        List<String> failures = new ArrayList<>();
        for (Hierarchy h : hierarchies()) {
            failures.addAll(removeTree(h.dir(h.ownPath()).resolve(name)));
        }
        return failures;
    }

    /** Removes the top-level cgroup {@code /name} and everything below it from every hierarchy. */
    static List<String> removeTopLevel(String name) throws IOException {
        List<String> failures = new ArrayList<>();
        for (Hierarchy h : hierarchies()) {
            failures.addAll(removeTree(h.mount().resolve(name)));
        }
        return failures;
    }

    /** The cgroup directories (relative to their mount) at or below {@code /name}, in every hierarchy. */
    static List<String> listTopLevel(String name) throws IOException {
        List<String> found = new ArrayList<>();
        for (Hierarchy h : hierarchies()) {
            Path top = h.mount().resolve(name);
            if (Files.isDirectory(top)) {
                try (Stream<Path> walk = Files.walk(top)) {
                    walk.filter(Files::isDirectory).forEach(d -> found.add(h.mount().relativize(d).toString()));
                }
            }
        }
        return found;
    }

    /** rmdir of every cgroup directory under and including {@code top}, deepest first. */
    private static List<String> removeTree(Path top) throws IOException {
        List<String> failures = new ArrayList<>();
        if (!Files.isDirectory(top)) {
            return failures;
        }
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(top)) {
            dirs = walk.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        }
        for (Path d : dirs) {
            try {
                Files.delete(d);
            } catch (IOException e) {
                String procs = "";
                try {
                    procs = Files.readString(d.resolve("cgroup.procs")).strip().replace('\n', ' ');
                } catch (IOException ignored) {
                    // gone meanwhile
                }
                failures.add(d + " (" + e.getMessage() + "; processes: [" + procs + "])");
            }
        }
        return failures;
    }
}
