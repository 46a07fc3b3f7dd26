package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jrun.testbundles.Bundle;
import dev.jrun.testbundles.BusyboxBundle;
import dev.jrun.testbundles.ConfigEditor;
import dev.jrun.testbundles.FileTrees;
import dev.jrun.testbundles.Json;
import dev.jrun.testbundles.Probe;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * Base of the integration tests: real containers run by the built `jrun` (build/dist), as
 * root, from busybox bundles, asserting what the in-container probe reports.  They run under
 * `make test` (-Djrun.integration=true); a plain `mvn test` skips them, and with the flag set
 * a missing prerequisite is a failure, not a skip.  The tag (inherited) is how `make test`
 * runs them apart from the unit tests.
 */
@Tag("integration")
public abstract class ContainerTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    protected static Path jrun;
    /** The dist's bin/jrun itself; in off mode, run it with JRUN_NO_SERVER=1 (jrun is a wrapper then). */
    protected static Path frontEnd;
    /** -Djrun.server=off runs every test with the jrun server turned off (JRUN_NO_SERVER=1). */
    protected static final boolean SERVER_MODE = !"off".equals(System.getProperty("jrun.server"));
    protected static BusyboxBundle busybox;

    protected Path work;
    protected Path root;
    private final List<String> ids = new ArrayList<>();

    /**
     * The result of one jrun call.  Calls made through {@link #jrun} pass --log, as containerd
     * does: stderr then holds the bare error message and log the JSON lines (warnings included).
     */
    public record Result(int status, String out, String err, String log) {
        public Result(int status, String out, String err) {
            this(status, out, err, "");
        }

        public Map<String, Object> json() {
            return Json.parseObject(out);
        }

        public Result ok() {
            if (status != 0) {
                fail("jrun exited " + status + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }
    }

    @BeforeAll
    static void requireRootAndBuild() throws IOException {
        Assumptions.assumeTrue("true".equals(System.getProperty("jrun.integration")),
                "integration tests run under `make test` (-Djrun.integration=true)");
        if (!"0".equals(idU())) {
            fail("integration tests must run as root");
        }
        String dist = System.getProperty("jrun.dist");
        if (dist == null || !Files.isExecutable(Path.of(dist, "bin", "jrun"))) {
            fail("-Djrun.dist must name a built dist (make dist): " + dist);
        }
        jrun = Path.of(dist, "bin", "jrun");
        frontEnd = jrun;
        if (!SERVER_MODE) {
            // the whole suite without the jrun server: every call through the front end's off switch
            Path wrapper = Files.createTempDirectory("jrun-direct-").resolve("jrun");
            Files.writeString(wrapper, "#!/bin/sh\nJRUN_NO_SERVER=1 exec " + jrun + " \"$@\"\n");
            wrapper.toFile().setExecutable(true);
            jrun = wrapper;
        }
        if (busybox == null) {
            busybox = BusyboxBundle.builder().probe(Probe.binary()).build();
        }
    }

    private static String idU() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                .findFirst().map(l -> l.split("\\s+")[1]).orElse("?");
    }

    @BeforeEach
    void makeWorkDir() throws IOException {
        // world-searchable: inside a user namespace the container's root is an unprivileged host uid
        work = Files.createTempDirectory("jrun-it-",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        root = work.resolve("state");
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        for (String id : ids) {
            jrun("delete", "--force", id);
        }
        // a test's state root is its own, and so is the server for it: no need to keep it idling
        if (SERVER_MODE && Files.exists(serverSocket(root))) {
            jrun("server", "stop");
        }
        FileTrees.delete(work);
    }

    /** A fresh, unique container id, deleted (forcibly) after the test. */
    protected String newId() {
        String id = getClass().getSimpleName().toLowerCase() + "-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet();
        ids.add(id);
        return id;
    }

    /**
     * A busybox bundle whose container lives in a cgroup under /jrun-test (a path these tests
     * own), edited by the test.
     */
    protected Bundle bundle(String id, Consumer<ConfigEditor> edits) throws IOException {
        return busybox.create(work.resolve("bundle-" + id), c -> {
            c.cgroupsPath("/jrun-test/" + id);
            edits.accept(c);
        });
    }

    protected Result jrun(String... args) throws IOException, InterruptedException {
        return jrunIn(null, args);
    }

    protected Result jrunIn(Path cwd, String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "jrun-", ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(jrun.toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.add("--log");
        cmd.add(log.toString());
        cmd.add("--log-format");
        cmd.add("json");
        cmd.addAll(Arrays.asList(args));
        Result r = exec(cwd, cmd, 60);
        String text = Files.readString(log);
        Files.delete(log);
        return new Result(r.status(), r.out(), r.err(), text);
    }

    protected static Result exec(Path cwd, List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        File out = File.createTempFile("jrun-out", ".txt");
        File err = File.createTempFile("jrun-err", ".txt");
        try {
            pb.redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            out.delete();
            err.delete();
        }
    }

    /** Runs the probe with these arguments in a new container and returns its JSON report. */
    protected Map<String, Object> probe(Consumer<ConfigEditor> edits, String... probeArgs)
            throws IOException, InterruptedException {
        String id = newId();
        List<String> args = new ArrayList<>();
        args.add(Probe.IN_CONTAINER);
        args.addAll(Arrays.asList(probeArgs));
        Bundle b = bundle(id, c -> {
            c.args(args);
            edits.accept(c);
        });
        // the probe exits non-zero when the operation it tried failed; its report is what counts
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        if (!r.out().startsWith("{")) {
            fail("no probe report: jrun exited " + r.status() + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        }
        return r.json();
    }

    /** Where the front end finds the jrun server for this state root, from this process's namespaces. */
    protected static Path serverSocket(Path stateRoot) throws IOException {
        Path dist = Path.of(System.getProperty("jrun.dist"));
        String build = Files.readString(dist.resolve("lib/jrun/build-id")).trim();
        return dev.jrun.cli.server.ServerKey.directory(0, System.getenv("JRUN_SERVER_DIR"), null)
                .resolve(dev.jrun.cli.server.ServerKey.socketName(build, stateRoot.toString(), nsInode("mnt"),
                        nsInode("user")));
    }

    private static long nsInode(String type) throws IOException {
        String link = hostNamespace(type);
        return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
    }

    protected static String hostNamespace(String type) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns", type)).toString();
    }

    @SuppressWarnings("unchecked")
    protected static <T> T get(Map<String, Object> json, String... path) {
        Object cur = json;
        for (String key : path) {
            cur = ((Map<String, Object>) cur).get(key);
        }
        return (T) cur;
    }

    protected static long number(Object o) {
        return ((Number) o).longValue();
    }

    protected static void assertStatus(String expected, Result state) {
        assertEquals(expected, state.json().get("status"), state.out());
    }
}
