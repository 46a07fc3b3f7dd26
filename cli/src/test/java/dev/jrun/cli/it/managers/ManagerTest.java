package dev.jrun.cli.it.managers;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jrun.cli.it.ContainerTest;
import dev.jrun.testbundles.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base of the end-to-end tests with the real container managers (containerd + ctr, podman,
 * dockerd + docker) running jrun as their runtime. Each test class starts its daemons once, in a
 * private directory, with names (namespaces, cgroups) unique to the run, and checks at the end
 * that nothing is left: no daemon or shim process, no mount, no cgroup, no state.
 */
abstract class ManagerTest extends ContainerTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** A name unique to this JVM for {@code what} (a namespace, a cgroup), e.g. {@code jrun-ctr-1234}. */
    static String tag(String what) {
        return "jrun-" + what + "-" + ProcessHandle.current().pid();
    }

    /** A fresh container name, unique in this run. */
    static String containerId(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /** A private, world-searchable directory for one test class. */
    static Path classDir(String manager) throws IOException {
        return Files.createTempDirectory("jrun-" + manager + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    /** Polls {@code check} for up to {@code seconds}; fails with {@code what} if it never holds. */
    static void await(int seconds, String what, Check check) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /**
     * The jrun servers serving a state root under dir, stopped as an operator would (`jrun
     * server stop`): a server is jrun's warm JVM, kept for the next call, not something a
     * container left; whatever else is running afterwards is reported as left behind.
     */
    static List<String> stopJrunServers(Path dir) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        Map<Long, String> servers = new java.util.LinkedHashMap<>();
        Leftovers.processesMentioning(dir.toString()).forEach((pid, cmdline) -> {
            if (cmdline.contains(SERVER_CLASS + " ")) {
                servers.put(pid, cmdline);
            }
        });
        for (String cmdline : servers.values()) {
            // "... Server SOCKET ROOT BUILD"
            String[] args = cmdline.substring(cmdline.indexOf(SERVER_CLASS) + SERVER_CLASS.length()).trim().split(" ");
            Cmd.run(Map.of(), 30, jrun.toString(), "--root", args[1], "server", "stop");
        }
        for (Map.Entry<Long, String> server : servers.entrySet()) {
            ProcessHandle h = ProcessHandle.of(server.getKey()).orElse(null);
            try {
                if (h != null) {
                    h.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                problems.add("a jrun server ignored `server stop` for 15 s: " + server.getValue());
            }
        }
        return problems;
    }

    private static final String SERVER_CLASS = "dev.jrun.cli.server.Server";

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    /**
     * The end of a test class: no mount left under its directory (any found is detached and
     * reported), then the directory is deleted; fails with every problem found.
     */
    static void finish(Path dir, List<String> problems) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(problems);
        if (dir != null) {
            for (String mp : Leftovers.mountsUnder(dir)) {
                all.add("mount left: " + mp);
                Cmd.run(Map.of(), 30, "umount", "-l", mp);
            }
            all.addAll(stopJrunServers(dir));
            Map<Long, String> procs = Leftovers.processesMentioning(dir.toString());
            if (!procs.isEmpty()) {
                all.add("processes left (killed): " + procs.values());
                Leftovers.kill(procs);
                Leftovers.awaitNoProcesses(dir.toString(), 5);
            }
            if (Leftovers.mountsUnder(dir).isEmpty()) {
                FileTrees.delete(dir);
            }
        }
        if (!all.isEmpty()) {
            fail("left behind:\n  " + String.join("\n  ", all));
        }
    }
}
