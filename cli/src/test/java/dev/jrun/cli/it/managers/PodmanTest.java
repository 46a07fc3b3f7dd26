package dev.jrun.cli.it.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.cli.it.managers.RecordingRuntime.Call;
import dev.jrun.testbundles.Json;
import dev.jrun.testbundles.ManagerImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jrun under podman 4.3 and conmon: a private podman configuration with jrun registered by name
 * (through a recorder), the busybox image loaded from a local OCI archive.
 */
class PodmanTest extends ManagerTest {
    static final String IMAGE = ManagerImages.REFERENCE;
    static final Path JRUN_DEFAULT_ROOT = Path.of("/run/jrun");
    /** Where podman keeps its blob cache whatever its configuration says. */
    static final Path BLOB_CACHE = Path.of("/var/lib/containers");
    static final String[] SLEEPER = {"/bin/jrun-probe", "sleep", "600", "--trap"};

    static Path dir;
    static Podman podman;
    static RecordingRuntime rt;
    static String cgroup;
    static boolean blobCacheExisted;
    static boolean jrunRootExisted;

    @BeforeAll
    static void setUpPodman() throws Exception {
        blobCacheExisted = Files.exists(BLOB_CACHE);
        jrunRootExisted = Files.exists(JRUN_DEFAULT_ROOT);
        dir = classDir("podman");
        cgroup = tag("podman");
        rt = RecordingRuntime.install(dir.resolve("runtime"), jrun);
        podman = Podman.setUp(dir.resolve("p"), Map.of("jrun", rt.binary), "jrun", cgroup);
        ManagerImages.Archives images = ManagerImages.write(busybox, dir.resolve("images"));
        podman.run("load", "-i", images.oci().toString()).ok();
    }

    @AfterAll
    static void tearDownPodman() throws Exception {
        List<String> problems = new ArrayList<>();
        if (podman != null) {
            podman.removeAll().forEach(n -> problems.add("container left by a test: " + n));
            // conmon and the cleanup podman it runs go once their container is removed
            Map<Long, String> left = Leftovers.awaitNoProcesses(dir.toString(), 15);
            if (!left.isEmpty()) {
                problems.add("processes left (killed): " + left.values());
                Leftovers.kill(left);
            }
        }
        if (rt != null) {
            Set<String> ours = new HashSet<>();
            for (Call c : rt.calls()) {
                ours.add(c.id());
            }
            Set<String> states = Leftovers.entries(JRUN_DEFAULT_ROOT);
            states.retainAll(ours);
            if (!states.isEmpty()) {
                problems.add("jrun state left in " + JRUN_DEFAULT_ROOT + ": " + states);
            }
        }
        if (cgroup != null) {
            problems.addAll(Cgroups.removeTopLevel(cgroup));
        }
        if (dir != null) {
            problems.addAll(Leftovers.removeIfCreated(BLOB_CACHE, blobCacheExisted, Set.of("blob-info-cache-v1.boltdb")));
            problems.addAll(Leftovers.removeIfCreated(JRUN_DEFAULT_ROOT, jrunRootExisted, Set.of()));
        }
        finish(dir, problems);
    }

    @AfterEach
    void callsFollowTheContract() throws Exception {
        rt.assertContract(RecordingRuntime.Caller.PODMAN);
    }

    static List<String> runCmd(List<String> flags, String... cmd) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(podman.containerFlags());
        args.addAll(flags);
        args.add(IMAGE);
        args.addAll(Arrays.asList(cmd));
        return podman.cmd(args.toArray(new String[0]));
    }

    static Cmd.Result run(List<String> flags, String... cmd) throws Exception {
        return Cmd.run(podman.env, 60, runCmd(flags, cmd));
    }

    /** Starts a detached sleeper named {@code name}; returns its full id. */
    static String detached(String name) throws Exception {
        String id = run(List.of("-d", "--name", name), SLEEPER).ok().line();
        assertEquals("running", inspect(name, "{{.State.Status}}"));
        return id;
    }

    static String inspect(String name, String format) throws Exception {
        return podman.run("inspect", "-f", format, name).ok().line();
    }

    /** jrun's own view, from its default state root (podman passes no --root). */
    static Map<String, Object> jrunState(String id) throws Exception {
        return Json.parseObject(Cmd.run(Map.of(), 30, jrun.toString(), "state", id).ok().out());
    }

    @Test
    void runRmPrintsTheOutput() throws Exception {
        String name = containerId("pm");
        Cmd.Result r = run(List.of("--rm", "--name", name), "echo", "hello from jrun").ok();
        assertEquals("hello from jrun\n", r.out());
        Call create = rt.calls().stream().filter(c -> c.command().equals("create")
                && c.option("--bundle") != null).reduce((a, b) -> b).orElseThrow();
        String id = create.id();
        List<String> commands = rt.calls(id).stream().map(Call::command).toList();
        assertEquals(List.of("create", "start"), commands.subList(0, 2), commands.toString());
        assertTrue(commands.contains("delete"), "podman run --rm deletes: " + commands);
        assertNull(create.global("--root"), "podman passes no --root: " + create);
        assertNotNull(create.option("--pid-file"), create.toString());
        Map<?, ?> linux = (Map<?, ?>) rt.config(create).get("linux");
        assertEquals("/" + cgroup + "/libpod-" + id, linux.get("cgroupsPath"));
        assertFalse(Files.exists(JRUN_DEFAULT_ROOT.resolve(id)), "jrun's state is deleted");
    }

    @Test
    void exitCodes() throws Exception {
        run(List.of("--rm"), "sh", "-c", "exit 42").status(42);
        Cmd.Result missing = run(List.of("--rm"), "/no/such/binary").status(127);
        assertTrue(missing.err().contains("no such file or directory"), missing.toString());
        Cmd.Result notExecutable = run(List.of("--rm"), "/etc/passwd").status(126);
        assertTrue(notExecutable.err().contains("permission denied"), notExecutable.toString());
    }

    @Test
    void execExitCodes() throws Exception {
        String name = containerId("pm");
        String id = detached(name);
        assertEquals(inspect(name, "{{.State.Pid}}"), rt.create(id).pid(), "the pid file holds the container's pid");
        Cmd.Result in = podman.run("exec", name, "sh", "-c", "echo in the container; exit 9").status(9);
        assertEquals("in the container\n", in.out());
        Call exec = rt.calls(id, "exec").get(0);
        assertTrue(exec.has("--detach") && exec.option("--process") != null, exec.toString());
        podman.run("exec", name, "/no/such/binary").status(127);
        podman.run("rm", "-f", name).ok();
    }

    @Test
    void interactiveTerminals() throws Exception {
        Cmd.Result r = Cmd.underPty(podman.env, 60, runCmd(List.of("-it", "--rm"), "sh", "-c", "tty; exit 5"));
        assertEquals(5, r.status(), r.toString());
        assertTrue(r.out().contains("/dev/pts/"), r.toString());
        String name = containerId("pm");
        String id = detached(name);
        Cmd.Result e = Cmd.underPty(podman.env, 60, podman.cmd("exec", "-it", name, "sh", "-c", "tty; exit 6"));
        assertEquals(6, e.status(), e.toString());
        assertTrue(e.out().contains("/dev/pts/"), e.toString());
        assertNotNull(rt.calls(id, "exec").get(0).option("--console-socket"), "conmon receives the pty");
        podman.run("rm", "-f", name).ok();
    }

    @Test
    void pauseAndUnpause() throws Exception {
        String name = containerId("pm");
        String id = detached(name);
        podman.run("pause", name).ok();
        assertEquals("paused", inspect(name, "{{.State.Status}}"));
        assertEquals("paused", jrunState(id).get("status"));
        podman.run("unpause", name).ok();
        assertEquals("running", inspect(name, "{{.State.Status}}"));
        assertEquals("running", jrunState(id).get("status"));
        assertEquals(1, rt.calls(id, "pause").size());
        assertEquals(1, rt.calls(id, "resume").size());
        podman.run("rm", "-f", name).ok();
    }

    @Test
    void killWithTheDefaultAndANamedSignal() throws Exception {
        String a = containerId("pm");
        String idA = detached(a);
        podman.run("kill", a).ok();
        assertEquals("137", podman.run("wait", a).ok().line());
        String b = containerId("pm");
        String idB = detached(b);
        podman.run("kill", "-s", "TERM", b).ok();
        assertEquals("143", podman.run("wait", b).ok().line(), "the probe trapped SIGTERM");
        assertEquals("9", last(rt.calls(idA, "kill").get(0).args()));
        assertEquals("15", last(rt.calls(idB, "kill").get(0).args()));
        podman.run("rm", a, b).ok();
    }

    @Test
    void rmForce() throws Exception {
        String name = containerId("pm");
        String id = detached(name);
        podman.run("rm", "-f", name).ok();
        assertTrue(podman.run("ps", "-a", "-q", "--no-trunc").ok().out().lines().noneMatch(id::equals));
        List<String> commands = rt.calls(id).stream().map(Call::command).toList();
        assertTrue(commands.containsAll(List.of("kill", "delete")), commands.toString());
        assertFalse(Files.exists(JRUN_DEFAULT_ROOT.resolve(id)), "jrun's state is deleted");
    }

    private static String last(List<String> l) {
        return l.get(l.size() - 1);
    }
}
