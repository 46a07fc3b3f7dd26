package dev.jrun.cli.it.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.cli.it.managers.RecordingRuntime.Call;
import dev.jrun.testbundles.Json;
import dev.jrun.testbundles.ManagerImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jrun under containerd 1.6 and its runc shim, driven with ctr: a private containerd, the shim
 * pointed at jrun (through a recorder) by the runtime options' BinaryName, a busybox image
 * imported from a local OCI archive.
 */
class ContainerdTest extends ManagerTest {
    static final String IMAGE = ManagerImages.REFERENCE;
    /** Runs until SIGTERM (then exits 143). */
    static final String[] SLEEPER = {"/bin/jrun-probe", "sleep", "600", "--trap"};

    static Path dir;
    static Containerd ctrd;
    static RecordingRuntime rt;
    static String ns;
    static final Set<String> ids = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startContainerd() throws Exception {
        dir = classDir("containerd");
        ns = tag("ctr");
        rt = RecordingRuntime.install(dir.resolve("runtime"), jrun);
        ctrd = Containerd.start(dir.resolve("containerd"), tag("containerd"));
        ManagerImages.Archives images = ManagerImages.write(busybox, dir.resolve("images"));
        ctrd.run(ns, "image", "import", images.oci().toString()).ok();
    }

    @AfterAll
    static void stopContainerd() throws Exception {
        List<String> problems = new ArrayList<>();
        if (ctrd != null) {
            ctrd.removeAll(ns).forEach(s -> problems.add("left by a test: " + s));
            problems.addAll(ctrd.stop(Map.of(ns, ids)));
            List<String> states = Leftovers.entries(ctrd.runtimeRoot(ns)).stream().toList();
            if (!states.isEmpty()) {
                problems.add("jrun state left in " + ctrd.runtimeRoot(ns) + ": " + states);
            }
        }
        if (ns != null) {
            problems.addAll(Cgroups.removeTopLevel(ns));
        }
        finish(dir, problems);
    }

    @AfterEach
    void callsFollowTheContract() throws Exception {
        rt.assertContract(RecordingRuntime.Caller.SHIM);
        assertFalse(Files.exists(ctrd.trapLog), "the shim ran runc, not jrun: " + readOrEmpty(ctrd.trapLog));
    }

    private static String readOrEmpty(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }

    static String newCtrId() {
        String id = containerId("ctr");
        ids.add(id);
        return id;
    }

    static Cmd.Result ctr(String... args) throws Exception {
        return ctrd.run(ns, args);
    }

    /** {@code ctr run [flags] IMAGE ID cmd…} with the shim running jrun. */
    static List<String> ctrRun(List<String> flags, String id, String... cmd) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(ctrd.runtimeFlags(rt.binary));
        args.addAll(flags);
        args.add(IMAGE);
        args.add(id);
        args.addAll(Arrays.asList(cmd));
        return ctrd.ctr(ns, args.toArray(new String[0]));
    }

    static Cmd.Result run(List<String> flags, String id, String... cmd) throws Exception {
        return Cmd.run(Map.of(), 60, ctrRun(flags, id, cmd));
    }

    /** {@code ctr task ls}: id → {pid, status}. */
    static Map<String, String[]> tasks() throws Exception {
        Map<String, String[]> tasks = new ConcurrentHashMap<>();
        for (String line : ctr("task", "ls").ok().out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && !f[0].equals("TASK")) {
                tasks.put(f[0], new String[] {f[1], f[2]});
            }
        }
        return tasks;
    }

    static String taskStatus(String id) throws Exception {
        String[] t = tasks().get(id);
        return t == null ? "" : t[1];
    }

    /** jrun's own view (its state store under the shim's --root): only jrun can answer this. */
    static Map<String, Object> jrunState(String id) throws Exception {
        Cmd.Result r = Cmd.run(Map.of(), 30, jrun.toString(), "--root", ctrd.runtimeRoot(ns).toString(), "state", id).ok();
        return Json.parseObject(r.out());
    }

    /** Starts a detached sleeper and returns its id once running. */
    static String detached(String... flags) throws Exception {
        String id = newCtrId();
        run(List.of(flags), id, SLEEPER).ok();
        assertEquals("RUNNING", taskStatus(id));
        return id;
    }

    static void remove(String id) throws Exception {
        ctr("task", "rm", "-f", id);
        ctr("container", "rm", id).ok();
    }

    @Test
    void runRmPrintsTheOutputAndJrunRanIt() throws Exception {
        String id = newCtrId();
        Cmd.Result r = run(List.of("--rm"), id, "echo", "hello from jrun").ok();
        assertEquals("hello from jrun\n", r.out());
        List<Call> calls = rt.calls(id);
        assertEquals(List.of("create", "start", "delete", "delete"), calls.stream().map(Call::command).toList(),
                calls.toString());
        assertTrue(calls.get(3).has("--force"), "the shim's second delete is --force: " + calls);
        for (Call c : calls) {
            assertEquals(ctrd.runtimeRoot(ns).toString(), c.global("--root"), c.toString());
            assertTrue(c.global("--log").endsWith("/" + ns + "/" + id + "/log.json"), c.toString());
        }
        Call create = calls.get(0);
        assertNotNull(create.option("--bundle"), create.toString());
        assertTrue(create.option("--pid-file").endsWith("/init.pid"), create.toString());
        assertTrue(ctr("container", "ls", "-q").out().lines().noneMatch(id::equals), "--rm removed the container");
    }

    @Test
    void theExitCodeComesBack() throws Exception {
        String id = newCtrId();
        run(List.of("--rm"), id, "sh", "-c", "echo out; echo err >&2; exit 7").status(7);
        assertEquals(0, rt.create(id).status());
    }

    @Test
    void aTerminalUnderAPty() throws Exception {
        String id = newCtrId();
        Cmd.Result r = Cmd.underPty(Map.of(), 60, ctrRun(List.of("--rm", "-t"), id, "sh", "-c", "tty; exit 3"));
        assertEquals(3, r.status(), r.toString());
        assertTrue(r.out().contains("/dev/pts/"), r.toString());
        assertNotNull(rt.create(id).option("--console-socket"), "the pty master goes to the shim's console socket");
    }

    @Test
    void detachedTaskPsExecAndKill() throws Exception {
        String id = detached("-d");
        String pid = tasks().get(id)[0];
        assertEquals(pid, rt.create(id).pid(), "the pid file holds the pid containerd reports");
        Map<String, Object> state = jrunState(id);
        assertEquals("running", state.get("status"));
        assertEquals(Long.parseLong(pid), ((Number) state.get("pid")).longValue());

        Cmd.Result ps = ctr("task", "ps", id).ok();
        assertTrue(ps.out().lines().anyMatch(l -> l.trim().startsWith(pid + " ") || l.trim().equals(pid)), ps.toString());
        assertFalse(rt.calls(id, "ps").isEmpty(), "task ps asks jrun ps");
        assertEquals("json", rt.calls(id, "ps").get(0).option("--format"));

        ctr("task", "exec", "--exec-id", "e1", "--fifo-dir", ctrd.fifoDir.toString(), id, "sh", "-c", "exit 5").status(5);
        Call exec = rt.calls(id, "exec").get(0);
        assertTrue(exec.has("--detach") && exec.option("--process") != null && exec.option("--pid-file") != null,
                exec.toString());

        Cmd.Result missing = ctr("task", "exec", "--exec-id", "e2", "--fifo-dir", ctrd.fifoDir.toString(), id,
                "/no/such/binary");
        assertNotEquals(0, missing.status());
        assertTrue(missing.err().contains("no such file or directory"), "jrun's error reaches ctr: " + missing);

        ctr("task", "kill", id).ok();
        await(15, id + " stopped by SIGTERM", () -> taskStatus(id).equals("STOPPED"));
        assertEquals(List.of("15"), rt.calls(id, "kill").stream().map(c -> c.args().get(c.args().size() - 1)).toList());
        ctr("task", "rm", id).ok();
        ctr("container", "rm", id).ok();
    }

    @Test
    void execWithATerminal() throws Exception {
        String id = detached("-d");
        List<String> cmd = ctrd.ctr(ns, "task", "exec", "-t", "--exec-id", "tty1", "--fifo-dir", ctrd.fifoDir.toString(),
                id, "sh", "-c", "tty; exit 4");
        Cmd.Result r = Cmd.underPty(Map.of(), 60, cmd);
        assertEquals(4, r.status(), r.toString());
        assertTrue(r.out().contains("/dev/pts/"), r.toString());
        assertNotNull(rt.calls(id, "exec").get(0).option("--console-socket"), "exec -t gets a console socket");
        remove(id);
    }

    @Test
    void pauseAndResume() throws Exception {
        String id = detached("-d");
        ctr("task", "pause", id).ok();
        assertEquals("PAUSED", taskStatus(id));
        assertEquals("paused", jrunState(id).get("status"));
        ctr("task", "resume", id).ok();
        assertEquals("RUNNING", taskStatus(id));
        assertEquals("running", jrunState(id).get("status"));
        assertEquals(1, rt.calls(id, "pause").size());
        assertEquals(1, rt.calls(id, "resume").size());
        remove(id);
    }

    @Test
    void killAllWithSigkill() throws Exception {
        String id = detached("-d");
        ctr("task", "exec", "-d", "--exec-id", "second", "--fifo-dir", ctrd.fifoDir.toString(), id, "sleep", "600").ok();
        await(10, "two processes in " + id, () -> ctr("task", "ps", id).out().lines().count() >= 3);
        ctr("task", "kill", "-a", "-s", "SIGKILL", id).ok();
        await(15, id + " stopped by SIGKILL", () -> taskStatus(id).equals("STOPPED"));
        Call kill = rt.calls(id, "kill").get(0);
        assertTrue(kill.has("--all"), kill.toString());
        assertTrue(Set.of("9", "KILL", "SIGKILL").contains(kill.args().get(kill.args().size() - 1)), kill.toString());
        remove(id);
    }

    @Test
    void taskRmForce() throws Exception {
        String id = detached("-d");
        ctr("task", "rm", "-f", id).ok();
        assertFalse(tasks().containsKey(id));
        List<String> commands = rt.calls(id).stream().map(Call::command).toList();
        assertTrue(commands.containsAll(List.of("kill", "delete")), commands.toString());
        Cmd.Result list = Cmd.run(Map.of(), 30, jrun.toString(), "--root", ctrd.runtimeRoot(ns).toString(), "list", "-q");
        assertFalse(list.out().lines().anyMatch(id::equals), "jrun's state is gone: " + list);
        ctr("container", "rm", id).ok();
    }

    @Test
    void readOnlyRootfs() throws Exception {
        String id = newCtrId();
        Cmd.Result r = run(List.of("--rm", "--read-only"), id, "sh", "-c", "touch /x");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("Read-only file system"), r.toString());
        assertEquals(Boolean.TRUE, ((Map<?, ?>) rt.config(rt.create(id)).get("root")).get("readonly"));
    }

    /**
     * Kubernetes' hostUsers: false, as far as containerd 1.6's ctr can say it: a user namespace
     * (--uidmap/--gidmap) and a bind mount whose options carry idmap, without mappings of its
     * own, so the container's apply.  The volume's owners show as on disk, and a write lands as
     * the container's root on disk.
     *
     * ctr 1.6 turns --uidmap into task options (the I/O owner), and the shim then takes the
     * task's runc options instead of the container's, losing BinaryName and Root: it runs the
     * "runc" on its PATH with its default root.  So for this test alone that "runc" (the trap
     * everywhere else) runs jrun.
     */
    @Test
    void anIdMappedVolumeInAUserNamespace() throws Exception {
        Path src = Files.createDirectories(dir.resolve("idmap-volume-" + System.nanoTime()));
        Files.writeString(src.resolve("f"), "x");
        Files.setAttribute(src.resolve("f"), "unix:uid", 1234);
        Files.setAttribute(src.resolve("f"), "unix:gid", 1235);
        Path trap = ctrd.trapLog.resolveSibling("trap-bin").resolve("runc");
        String trapScript = Files.readString(trap);
        Path defaultRoot = Path.of("/run/containerd/runc", ns);
        String id = newCtrId();
        Cmd.Result r;
        try {
            Files.writeString(trap, "#!/bin/sh\n# jrun for ctr --uidmap (ContainerdTest)\nexec '" + rt.binary + "' \"$@\"\n");
            r = run(List.of("--rm", "--uidmap", "0:100000:65536", "--gidmap", "0:100000:65536",
                    "--mount", "type=bind,src=" + src + ",dst=/m,options=rbind:idmap"), id,
                    "sh", "-c", "echo hi > /m/new && /bin/jrun-probe stat /m/f /m/new").ok();
        } finally {
            Files.writeString(trap, trapScript);
            if (Files.isDirectory(defaultRoot)) {
                try (var left = Files.list(defaultRoot)) {
                    assertEquals(List.of(), left.toList(), "jrun state left under the shim's default root");
                }
                Files.delete(defaultRoot);
            }
        }
        Map<String, Object> stat = Json.parseObject(r.out().trim());
        assertEquals(List.of(1234L, 1235L), owner(stat, "/m/f"), r.out());
        assertEquals(List.of(0L, 0L), owner(stat, "/m/new"), r.out());
        assertEquals(0, ((Number) Files.getAttribute(src.resolve("new"), "unix:uid")).intValue(), "root on disk");
        Map<?, ?> config = rt.config(rt.create(id));
        assertTrue(config.get("mounts").toString().contains("idmap"), config.get("mounts").toString());
        assertTrue(config.get("linux").toString().contains("uidMappings"), config.get("linux").toString());
    }

    private static List<Long> owner(Map<String, Object> stat, String path) {
        Map<?, ?> s = (Map<?, ?>) stat.get(path);
        return List.of(((Number) s.get("uid")).longValue(), ((Number) s.get("gid")).longValue());
    }

    @Test
    void anEmptyCgroupPathIsRelativeToTheShimsCgroup() throws Exception {
        String id = newCtrId();
        Cmd.Result r = run(List.of("--rm", "--cgroup", ""), id, "cat", "/proc/self/cgroup").ok();
        Map<?, ?> linux = (Map<?, ?>) rt.config(rt.create(id)).get("linux");
        assertTrue(linux.get("cgroupsPath") == null || "".equals(linux.get("cgroupsPath")), linux.toString());
        Cgroups.Hierarchy memory = Cgroups.of("memory");
        if (memory != null && !memory.key().isEmpty()) {
            // as runc: <the caller's cgroup>/<id>, the caller being the shim, in containerd's cgroup
            String expected = (memory.ownPath().equals("/") ? "" : memory.ownPath()) + "/" + ctrd.cgroupName + "/" + id;
            assertTrue(r.out().lines().anyMatch(l -> l.matches("[0-9]+:([^:]*,)?memory(,[^:]*)?:" + expected)), r.out());
            assertFalse(Files.exists(memory.dir(expected)), "deleted with the container");
        }
    }

    @Test
    void aMemoryLimitTheKernelEnforces() throws Exception {
        String id = detached("-d", "--memory-limit", String.valueOf(32 << 20));
        String cgroupsPath = (String) ((Map<?, ?>) rt.config(rt.create(id)).get("linux")).get("cgroupsPath");
        Cgroups.Hierarchy memory = Cgroups.of("memory");
        Path limit = memory.key().isEmpty() ? memory.dir(cgroupsPath).resolve("memory.max")
                : memory.dir(cgroupsPath).resolve("memory.limit_in_bytes");
        assertEquals(String.valueOf(32 << 20), Files.readString(limit).strip(), limit.toString());
        Cmd.Result metrics = ctr("task", "metrics", id).ok();
        assertTrue(metrics.out().contains(String.valueOf(32 << 20)), "task metrics reads the limit: " + metrics);

        ctr("task", "exec", "--exec-id", "small", "--fifo-dir", ctrd.fifoDir.toString(), id,
                "/bin/jrun-probe", "alloc", "8").ok();
        Cmd.Result big = ctr("task", "exec", "--exec-id", "big", "--fifo-dir", ctrd.fifoDir.toString(), id,
                "/bin/jrun-probe", "alloc", "64");
        if (Files.readAllLines(Path.of("/proc/swaps")).size() <= 1) {
            assertEquals(137, big.status(), "the OOM killer stops 64 MiB in a 32 MiB cgroup: " + big);
        } else {
            // with swap (ctr cannot limit it) the kernel keeps the cgroup at its limit by swapping
            Path maxUsage = limit.resolveSibling(memory.key().isEmpty() ? "memory.peak" : "memory.max_usage_in_bytes");
            if (Files.exists(maxUsage)) {
                assertTrue(Long.parseLong(Files.readString(maxUsage).strip()) <= 32L << 20, maxUsage.toString());
            }
        }
        assertEquals("RUNNING", taskStatus(id), "and spares the small init");
        remove(id);
    }

    @Test
    void aFailedCreateReportsJrunsErrorAndCleansUp() throws Exception {
        String id = newCtrId();
        Cmd.Result r = run(List.of("--rm"), id, "/no/such/binary");
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("no such file or directory"), r.toString());
        Call create = rt.create(id);
        assertNotEquals(0, create.status());
        assertFalse(rt.logLines("no such file or directory").isEmpty(), "the error is a JSON line in --log");
        List<Call> deletes = rt.calls(id, "delete");
        assertFalse(deletes.isEmpty(), "the shim deletes after a failed create");
        assertTrue(deletes.stream().allMatch(c -> c.status() == 0), deletes.toString());
        assertTrue(ctr("container", "ls", "-q").out().lines().noneMatch(id::equals));
    }

    /**
     * `ctr task checkpoint`: the shim runs `checkpoint` (with --leave-running unless --exit) into
     * a directory containerd stores as an image.  Restoring one is beyond ctr 1.6: `ctr
     * container restore` refuses a task checkpoint ("image name not found in index") and a
     * `ctr container checkpoint --task --image` ("media type not found") before calling the
     * runtime, so CheckpointTest covers restore.
     */
    @Test
    void ctrTaskCheckpoint() throws Exception {
        String id = detached("-d");
        String kept = ctr("task", "checkpoint", id).ok().out().trim();
        assertTrue(kept.startsWith("containerd.io/checkpoint/" + id), kept);
        assertEquals("RUNNING", taskStatus(id), "without --exit the task keeps running");
        remove(id);
        String other = detached("-d");
        String exited = ctr("task", "checkpoint", "--exit", other).ok().out().trim();
        assertEquals("STOPPED", taskStatus(other), "--exit: the checkpointed task is gone");
        remove(other);
        ctr("image", "rm", kept, exited);
    }
}
