package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jrun.testbundles.Bundle;
import dev.jrun.testbundles.ConfigEditor;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * checkpoint and restore with CRIU (packaging/criu.sh installs one that works on this kernel).
 * The checkpointed containers' stdio are pipes (CRIU cannot dump a host file a container holds
 * open outside its mounts); the restored ones write to files, since a pipe a restored container
 * holds would keep the test waiting for its end.
 */
class CheckpointTest extends ContainerTest {
    /** Prints 1, 2, 3, ... once a second: a restored counter goes on from where it stopped. */
    private static final String[] COUNTER = {"sh", "-c", "i=0; while true; do i=$((i+1)); echo $i; sleep 1; done"};

    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void requireCriu() throws Exception {
        Result check = exec(null, List.of("criu", "check"), 60);
        if (check.status() != 0) {
            fail("these tests need a CRIU that passes `criu check` (sh packaging/criu.sh): " + check.out() + check.err());
        }
    }

    @AfterEach
    void closePipes() {
        for (Process p : started) {
            p.destroyForcibly();
        }
    }

    /**
     * A counter started with `run -d` whose stdio are pipes: its output goes through `cat` to a
     * file (Java's own pipe to a child is closed when that child, here jrun, exits).
     */
    private final class Counter {
        final Path out;

        Counter(String id, Bundle b) throws Exception {
            out = work.resolve("counter-" + id + ".out");
            String run = String.join(" ", List.of(jrun.toString(), "--root", root.toString(), "run", "-d", "--bundle",
                    b.dir().toString(), id));
            // `sleep` holds the stdin pipe; it outlives the test by at most that long
            Process p = new ProcessBuilder("sh", "-c", "sleep 300 | " + run + " 2>&1 | cat > " + out)
                    .redirectErrorStream(true).start();
            started.add(p);
            for (int i = 0; i < 600 && !jrun("state", id).out().contains("running"); i++) {
                Thread.sleep(50);
            }
            assertStatus("running", jrun("state", id));
        }

        List<Integer> seen() throws IOException {
            return Files.exists(out) ? numbers(Files.readString(out)) : List.of();
        }

        void awaitCount(int n) throws Exception {
            for (int i = 0; i < 200 && seen().size() < n; i++) {
                Thread.sleep(50);
            }
            assertTrue(seen().size() >= n, "counted " + seen());
            // checkpoint while the shell waits for its `sleep`, not while it starts one, so the
            // first number after restore is exactly the next
            Thread.sleep(300);
        }

        /** After a checkpoint killed it, what it wrote before has reached the file. */
        int last() throws Exception {
            Thread.sleep(300);
            List<Integer> seen = seen();
            return seen.get(seen.size() - 1);
        }
    }

    private Bundle counterBundle(String id, Consumer<ConfigEditor> more) throws IOException {
        return bundle(id, c -> {
            c.args(COUNTER);
            more.accept(c);
        });
    }

    /** restore -d with stdout to a file. */
    private Result restore(Path out, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jrun.toString(), "--root", root.toString(), "restore", "-d"));
        cmd.addAll(List.of(args));
        File err = work.resolve("restore-" + System.nanoTime() + ".err").toFile();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "restore returns");
        return new Result(p.exitValue(), "", Files.readString(err.toPath()));
    }

    /** The numbers a restored counter wrote, once it has written at least n. */
    private static List<Integer> counts(Path out, int n) throws Exception {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            numbers.clear();
            for (String line : Files.readAllLines(out)) {
                numbers.add(Integer.parseInt(line.strip()));
            }
            if (numbers.size() >= n) {
                return numbers;
            }
            Thread.sleep(50);
        }
        fail("the restored counter wrote " + numbers + " to " + out);
        return numbers;
    }

    private int pid(String id) throws Exception {
        return (int) number(jrun("state", id).ok().json().get("pid"));
    }

    @Test
    void aRestoredCounterGoesOnWhereItStoppedAndIsAnOrdinaryContainer() throws Exception {
        String id = newId();
        Bundle b = counterBundle(id, c -> { });
        Counter counter = new Counter(id, b);
        counter.awaitCount(2);
        Path images = work.resolve("images");
        jrun("checkpoint", "--image-path", images.toString(), id).ok();
        int last = counter.last();
        assertFalse(jrun("state", id).status() == 0, "a checkpoint without --leave-running deletes the container");

        Path out = work.resolve("restored.out");
        Path pidFile = work.resolve("restored.pid");
        restore(out, "--image-path", images.toString(), "--bundle", b.dir().toString(), "--pid-file",
                pidFile.toString(), id).ok();
        List<Integer> after = counts(out, 2);
        assertEquals(last + 1, after.get(0), "counted " + counter.seen() + " then " + after);
        assertEquals(Integer.toString(pid(id)), Files.readString(pidFile));

        assertStatus("running", jrun("state", id));
        Result exec = jrun("exec", id, "cat", "/proc/1/cmdline").ok();
        assertTrue(exec.out().startsWith("sh\0-c\0"), "exec joins the restored container: " + exec.out());
        assertEquals(Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid(id)), "ns", "time")).toString(),
                jrun("exec", id, "readlink", "/proc/self/ns/time").ok().out().strip(),
                "exec joins the time namespace CRIU restored the processes into");
        jrun("pause", id).ok();
        assertStatus("paused", jrun("state", id));
        jrun("resume", id).ok();
        jrun("update", "--pids-limit", "77", id).ok();
        assertEquals("77", Files.readString(cgroupFile(pid(id), "pids", "pids.max")).strip());
        jrun("kill", id, "KILL").ok();
        for (int i = 0; i < 100 && !jrun("state", id).out().contains("stopped"); i++) {
            Thread.sleep(50);
        }
        assertStatus("stopped", jrun("state", id));
        jrun("delete", id).ok();
        assertFalse(jrun("state", id).status() == 0);
    }

    @Test
    void leaveRunningKeepsTheContainerAndTheImageRestoresBesideIt() throws Exception {
        String id = newId();
        Bundle b = counterBundle(id, c -> { });
        Counter counter = new Counter(id, b);
        counter.awaitCount(2);
        Path images = work.resolve("images");
        int before = counter.seen().get(counter.seen().size() - 1);
        jrun("checkpoint", "--leave-running", "--image-path", images.toString(), id).ok();
        // the dump is taken somewhere between these two counts, the container counting on
        int atCheckpoint = counter.seen().get(counter.seen().size() - 1);
        assertStatus("running", jrun("state", id));
        counter.awaitCount(counter.seen().size() + 2);

        String copy = newId();
        Bundle b2 = counterBundle(copy, c -> { });
        Path out = work.resolve("copy.out");
        restore(out, "--image-path", images.toString(), "--bundle", b2.dir().toString(), copy).ok();
        List<Integer> after = counts(out, 1);
        assertTrue(after.get(0) > before && after.get(0) <= atCheckpoint + 2,
                "the copy goes on from the checkpoint (taken between " + before + " and " + atCheckpoint + "): "
                        + after);
        assertStatus("running", jrun("state", id));
        assertStatus("running", jrun("state", copy));
    }

    @Test
    void oneImageRestoresTwiceUnderNewIdsAndBundles() throws Exception {
        String id = newId();
        Counter counter = new Counter(id, counterBundle(id, c -> { }));
        counter.awaitCount(2);
        Path images = work.resolve("images");
        jrun("checkpoint", "--image-path", images.toString(), id).ok();
        int last = counter.last();
        for (int n = 0; n < 2; n++) {
            String other = newId();
            Bundle fresh = counterBundle(other, c -> { });
            Path out = work.resolve("restore-" + n + ".out");
            restore(out, "--image-path", images.toString(), "--bundle", fresh.dir().toString(), other).ok();
            assertEquals(last + 1, counts(out, 1).get(0), "counted " + counter.seen() + ", restore " + n + " wrote "
                    + Files.readString(out));
            Map<String, Object> state = jrun("state", other).ok().json();
            assertEquals(fresh.dir().toString(), state.get("bundle"));
            assertEquals("running", state.get("status"));
        }
    }

    @Test
    void relativeImagePathsWork() throws Exception {
        String id = newId();
        Bundle b = counterBundle(id, c -> { });
        Counter counter = new Counter(id, b);
        counter.awaitCount(1);
        jrunIn(work, "checkpoint", "--image-path", "relative-images", id).ok();
        assertTrue(Files.exists(work.resolve("relative-images/descriptors.json")));
        int last = counter.last();
        Path out = work.resolve("restored.out");
        List<String> cmd = List.of(jrun.toString(), "--root", root.toString(), "restore", "-d", "--image-path",
                "relative-images", "--bundle", b.dir().toString(), id);
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(work.resolve("restore.err").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(work.resolve("restore.err")));
        assertEquals(last + 1, counts(out, 1).get(0));
    }

    @Test
    void cgroupLimitsAreThereAfterRestore() throws Exception {
        String id = newId();
        Consumer<ConfigEditor> limits = c -> c.memoryLimit(64L << 20).pidsLimit(42);
        Counter counter = new Counter(id, counterBundle(id, limits));
        counter.awaitCount(1);
        Path images = work.resolve("images");
        jrun("checkpoint", "--image-path", images.toString(), id).ok();
        counter.last();
        String other = newId();
        restore(work.resolve("out"), "--image-path", images.toString(), "--bundle",
                counterBundle(other, limits).dir().toString(), other).ok();
        int pid = pid(other);
        assertTrue(Files.readString(Path.of("/proc", Integer.toString(pid), "cgroup")).contains("/jrun-test/" + other),
                "the restored process is in the new container's cgroup");
        assertEquals("42", Files.readString(cgroupFile(pid, "pids", "pids.max")).strip());
        Path memory = cgroupFile(pid, "memory", "memory.limit_in_bytes");
        assertEquals(Long.toString(64L << 20),
                Files.readString(Files.exists(memory) ? memory : cgroupFile(pid, "memory", "memory.max")).strip());
    }

    @Test
    void bindMountsAndMaskedPathsAreThereAfterRestore() throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        Files.writeString(data.resolve("hello"), "from the host\n");
        String id = newId();
        Consumer<ConfigEditor> mounts = c -> c.bindMount(data.toString(), "/mnt/data", "ro")
                .maskedPaths("/etc/hostname", "/sys/firmware");
        Bundle b = counterBundle(id, mounts);
        Counter counter = new Counter(id, b);
        counter.awaitCount(1);
        Path images = work.resolve("images");
        jrun("checkpoint", "--image-path", images.toString(), id).ok();
        counter.last();
        String other = newId();
        restore(work.resolve("out"), "--image-path", images.toString(), "--bundle",
                counterBundle(other, mounts).dir().toString(), other).ok();
        assertEquals("from the host\n", jrun("exec", other, "cat", "/mnt/data/hello").ok().out());
        assertTrue(jrun("exec", other, "touch", "/mnt/data/x").status() != 0, "the bind mount is still read-only");
        assertEquals("", jrun("exec", other, "cat", "/etc/hostname").ok().out(), "a masked file reads as /dev/null");
        assertEquals("1,3\n", jrun("exec", other, "stat", "-c", "%t,%T", "/etc/hostname").ok().out());
    }

    /**
     * CRIU would bring an id-mapped bind mount back from its host source, unmapped: checkpoint
     * refuses, and the container runs on.
     */
    @Test
    void aContainerWithAnIdMappedMountIsNotCheckpointed() throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        Files.writeString(data.resolve("hello"), "from the host\n");
        Files.setAttribute(data.resolve("hello"), "unix:uid", 1005);
        Files.setAttribute(data.resolve("hello"), "unix:gid", 1006);
        String id = newId();
        List<dev.jrun.spec.model.LinuxIDMapping> m = List.of(new dev.jrun.spec.model.LinuxIDMapping(1000L, 0L, 10L));
        Consumer<ConfigEditor> mounts = c -> c.addMount(new dev.jrun.spec.model.Mount("/mnt/data", "bind",
                data.toString(), List.of("bind", "idmap"), m, m));
        Bundle b = counterBundle(id, mounts);
        Counter counter = new Counter(id, b);
        counter.awaitCount(1);
        assertEquals("5:6\n", jrun("exec", id, "stat", "-c", "%u:%g", "/mnt/data/hello").ok().out());
        Result r = jrun("checkpoint", "--image-path", work.resolve("images").toString(), id);
        assertEquals(1, r.status(), r.toString());
        assertEquals("checkpoint and restore of a container with id-mapped mounts is not supported by jrun:"
                + " CRIU would restore /mnt/data without its id mapping\n", r.err());
        assertStatus("running", jrun("state", id));
        counter.awaitCount(counter.seen().size() + 1);
    }

    @Test
    void aTerminalGoesToTheConsoleSocket() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.terminal(true).args(COUNTER));
        Path script = Path.of(getClass().getResource("/recvtty.py").toURI());
        Path socket1 = work.resolve("console1.sock");
        Path tty1 = work.resolve("tty1.out");
        Process recv1 = recvtty(script, socket1, tty1);
        jrun("run", "-d", "--console-socket", socket1.toString(), "--bundle", b.dir().toString(), id).ok();
        Thread.sleep(2500);
        Path images = work.resolve("images");
        jrun("checkpoint", "--image-path", images.toString(), id).ok();
        assertTrue(recv1.waitFor(30, TimeUnit.SECONDS), "the first terminal closes with the checkpoint");
        List<Integer> before = numbers(Files.readString(tty1));

        Path socket2 = work.resolve("console2.sock");
        Path tty2 = work.resolve("tty2.out");
        Process recv2 = recvtty(script, socket2, tty2);
        restore(work.resolve("out"), "--image-path", images.toString(), "--console-socket", socket2.toString(),
                "--bundle", b.dir().toString(), id).ok();
        Thread.sleep(2500);
        jrun("delete", "--force", id).ok();
        assertTrue(recv2.waitFor(30, TimeUnit.SECONDS), "the restored terminal closes when the container goes");
        List<Integer> after = numbers(Files.readString(tty2));
        assertFalse(after.isEmpty(), "the restored container writes to the new terminal");
        assertEquals(before.get(before.size() - 1) + 1, after.get(0), before + " then " + after);
    }

    @Test
    void aFailedRestoreLeavesNothingBehind() throws Exception {
        String id = newId();
        Counter counter = new Counter(id, counterBundle(id, c -> { }));
        counter.awaitCount(1);
        Path images = work.resolve("images");
        jrun("checkpoint", "--image-path", images.toString(), id).ok();
        counter.last();
        // the process tree is gone from this copy of the images
        Files.delete(images.resolve("pstree.img"));
        String other = newId();
        Result r = restore(work.resolve("out"), "--image-path", images.toString(), "--bundle",
                counterBundle(other, c -> { }).dir().toString(), other);
        assertTrue(r.status() != 0);
        assertTrue(r.err().contains("restore.log"), r.err());
        assertFalse(Files.exists(root.resolve(other)), "no state directory");
        assertEquals("[]\n", jrun("list", "--format", "json").ok().out().replace("null", "[]"));
        for (String hierarchy : List.of("pids", "memory", "unified")) {
            assertFalse(Files.exists(Path.of("/sys/fs/cgroup", hierarchy, "jrun-test", other)), "no cgroup " + hierarchy);
        }
    }

    @Test
    void checkpointRefusesACreatedContainer() throws Exception {
        String id = newId();
        jrun("create", "--bundle", counterBundle(id, c -> { }).dir().toString(), id).ok();
        Result r = jrun("checkpoint", "--image-path", work.resolve("images").toString(), id);
        assertEquals(1, r.status());
        assertTrue(r.err().contains("Container cannot be checkpointed in created state"), r.err());
    }

    @Test
    void featuresSayCheckpointWorks() throws Exception {
        Map<String, Object> features = jrun("features").ok().json();
        Map<String, String> annotations = get(features, "annotations");
        assertEquals("true", annotations.get("org.opencontainers.runc.checkpoint.enabled"), annotations.toString());
    }

    private static Process recvtty(Path script, Path socket, Path output) throws IOException {
        Process p = new ProcessBuilder("python3", script.toString(), socket.toString(), output.toString())
                .redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream()));
        assertEquals("ready", lines.readLine());
        return p;
    }

    private static List<Integer> numbers(String text) {
        List<Integer> numbers = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (!line.isBlank()) {
                numbers.add(Integer.parseInt(line.strip()));
            }
        }
        return numbers;
    }

    /** A file of the cgroup pid is in, for a v1 controller or (without one) the unified hierarchy. */
    private static Path cgroupFile(int pid, String controller, String file) throws IOException {
        String unified = null;
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "cgroup"))) {
            String[] parts = line.split(":", 3);
            if (List.of(parts[1].split(",")).contains(controller)) {
                return Path.of("/sys/fs/cgroup", controller, parts[2], file);
            }
            if (parts[1].isEmpty()) {
                unified = parts[2];
            }
        }
        Path base = Files.exists(Path.of("/sys/fs/cgroup/unified")) ? Path.of("/sys/fs/cgroup/unified")
                : Path.of("/sys/fs/cgroup");
        return Path.of(base.toString(), unified, file);
    }
}
