package dev.jrun.cli.it.managers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a manager test might leave on the host: processes (shims, conmon, containers) whose
 * command line names the test's private directory, mounts under it, and entries a manager
 * creates in fixed host places whatever it is told (containerd's shim sockets in
 * /run/containerd/s, podman's blob cache in /var/lib/containers, dockerd's /run/docker).
 */
final class Leftovers {
    private Leftovers() {}

    /** Processes (not this JVM) whose command line mentions {@code marker}, as "pid cmdline". */
    static Map<Long, String> processesMentioning(String marker) {
        Map<Long, String> found = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').strip();
                    if (cmdline.contains(marker)) {
                        found.put(pid, cmdline);
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** Waits up to {@code seconds} for the processes mentioning {@code marker} to go; returns those left. */
    static Map<Long, String> awaitNoProcesses(String marker, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Map<Long, String> left = processesMentioning(marker);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = processesMentioning(marker);
        }
        return left;
    }

    /** Kills (SIGKILL, by pid) the processes found; they were started for this test. */
    static void kill(Map<Long, String> processes) {
        for (long pid : processes.keySet()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Mount points at or under {@code dir}, deepest first. */
    static List<String> mountsUnder(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().toString();
        List<String> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String mp = line.split(" ")[4].replace("\\040", " ");
            if (mp.equals(prefix) || mp.startsWith(prefix + "/")) {
                found.add(mp);
            }
        }
        found.sort(Comparator.comparingInt(String::length).reversed());
        return found;
    }

    /** The names in {@code dir} (empty when it does not exist). */
    static Set<String> entries(Path dir) {
        Set<String> names = new HashSet<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return names;
    }

    /**
     * Deletes {@code dir} if it did not exist before the test ({@code existedBefore} false) and
     * holds only directories and the files named by {@code allowedFiles} (a manager's cache it
     * insists on creating there); returns what could not be removed.
     */
    static List<String> removeIfCreated(Path dir, boolean existedBefore, Set<String> allowedFiles) throws IOException {
        List<String> problems = new ArrayList<>();
        if (existedBefore || !Files.exists(dir)) {
            return problems;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        }
        for (Path p : all) {
            if (!Files.isDirectory(p) && !allowedFiles.contains(p.getFileName().toString())) {
                problems.add("unexpected file left: " + p);
            }
        }
        if (problems.isEmpty()) {
            for (Path p : all) {
                Files.delete(p);
            }
        }
        return problems;
    }
}
