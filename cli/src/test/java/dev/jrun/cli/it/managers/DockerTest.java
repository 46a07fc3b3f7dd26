package dev.jrun.cli.it.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * jrun under docker 20.10: a private dockerd on a private containerd, jrun added as runtime
 * {@code jrun} (through a recorder), the busybox image loaded from a local {@code docker save}
 * archive. Docker's config carries its default seccomp profile, a prestart hook
 * (libnetwork-setkey) and sysctls.
 */
class DockerTest extends ManagerTest {
    static final String IMAGE = ManagerImages.REFERENCE;
    static final String[] SLEEPER = {"/bin/jrun-probe", "sleep", "600", "--trap"};

    static Path dir;
    static Containerd ctrd;
    static Dockerd docker;
    static RecordingRuntime rt;
    static String ns;
    static String cgroup;
    static boolean runDockerExisted;

    @BeforeAll
    static void startDocker() throws Exception {
        runDockerExisted = Files.exists(Dockerd.RUN_DOCKER);
        dir = classDir("docker");
        ns = tag("docker");
        cgroup = tag("docker");
        rt = RecordingRuntime.install(dir.resolve("runtime"), jrun);
        ctrd = Containerd.start(dir.resolve("containerd"), tag("docker-containerd"));
        docker = Dockerd.start(dir.resolve("docker"), ctrd, rt.binary, ns, cgroup);
        ManagerImages.Archives images = ManagerImages.write(busybox, dir.resolve("images"));
        docker.run("load", "-i", images.docker().toString()).ok();
    }

    @AfterAll
    static void stopDocker() throws Exception {
        List<String> problems = new ArrayList<>();
        if (docker != null) {
            docker.removeAll().forEach(id -> problems.add("container left by a test: " + id));
            problems.addAll(docker.stop());
        }
        if (ctrd != null) {
            ctrd.removeAll(ns).forEach(s -> problems.add("left in containerd: " + s));
            Set<String> ids = new HashSet<>();
            for (Call c : rt == null ? List.<Call>of() : rt.calls()) {
                ids.add(c.id());
            }
            problems.addAll(ctrd.stop(Map.of(ns, ids)));
        }
        if (cgroup != null) {
            problems.addAll(Cgroups.removeTopLevel(cgroup));
        }
        if (dir != null) {
            problems.addAll(Leftovers.removeIfCreated(Dockerd.RUN_DOCKER, runDockerExisted, Set.of()));
        }
        finish(dir, problems);
    }

    @AfterEach
    void callsFollowTheContract() throws Exception {
        rt.assertContract(RecordingRuntime.Caller.SHIM);
        assertFalse(Files.exists(ctrd.trapLog), "the shim ran runc, not jrun");
    }

    static List<String> runCmd(List<String> flags, String... cmd) {
        List<String> args = new ArrayList<>(List.of("run", "--runtime", "jrun", "--network", "none"));
        args.addAll(flags);
        args.add(IMAGE);
        args.addAll(Arrays.asList(cmd));
        return docker.cmd(args.toArray(new String[0]));
    }

    static Cmd.Result run(List<String> flags, String... cmd) throws Exception {
        return Cmd.run(docker.env, 60, runCmd(flags, cmd));
    }

    /** The last container jrun was asked to create. */
    static Call lastCreate() throws Exception {
        return rt.calls().stream().filter(c -> c.command().equals("create")).reduce((a, b) -> b).orElseThrow();
    }

    static String detached() throws Exception {
        String id = run(List.of("-d"), SLEEPER).ok().line();
        assertEquals("running", docker.run("inspect", "-f", "{{.State.Status}}", id).ok().line());
        return id;
    }

    @Test
    void runRmWithDockersSeccompProfilePrestartHookAndSysctl() throws Exception {
        Cmd.Result r = run(List.of("--rm", "--sysctl", "net.ipv4.ip_forward=1"),
                "sh", "-c", "cat /proc/sys/net/ipv4/ip_forward; grep Seccomp: /proc/self/status").ok();
        assertEquals("1\nSeccomp:\t2\n", r.out());
        Call create = lastCreate();
        Map<String, Object> config = rt.config(create);
        Map<?, ?> hooks = (Map<?, ?>) config.get("hooks");
        assertNotNull(hooks, "docker's prestart hook");
        List<?> prestart = (List<?>) hooks.get("prestart");
        assertEquals("libnetwork-setkey", ((List<?>) ((Map<?, ?>) prestart.get(0)).get("args")).get(0), hooks.toString());
        Map<?, ?> linux = (Map<?, ?>) config.get("linux");
        assertEquals("1", ((Map<?, ?>) linux.get("sysctl")).get("net.ipv4.ip_forward"));
        assertEquals("SCMP_ACT_ERRNO", ((Map<?, ?>) linux.get("seccomp")).get("defaultAction"));
        assertEquals("/" + cgroup + "/" + create.id(), linux.get("cgroupsPath"));
        assertTrue(create.global("--root").startsWith(dir.resolve("docker/exec").toString()),
                "dockerd gives the shim a runtime root under its exec root: " + create);
    }

    @Test
    void dockersSeccompProfileIsEnforced() throws Exception {
        // personality(READ_IMPLIES_EXEC) is not among the personalities docker's profile allows
        String[] call = {"/bin/jrun-probe", "syscall", "personality", "0x0400000"};
        Map<String, Object> denied = Json.parseObject(run(List.of("--rm"), call).out());
        assertEquals(1L, ((Number) denied.get("errno_num")).longValue(), denied.toString());
        Map<String, Object> allowed = Json.parseObject(run(List.of("--rm", "--security-opt", "seccomp=unconfined"), call).out());
        assertEquals(0L, ((Number) allowed.get("ret")).longValue(), allowed.toString());
    }

    @Test
    void thePrestartHookRanWithTheContainersState() throws Exception {
        String id = detached();
        String pid = docker.run("inspect", "-f", "{{.State.Pid}}", id).ok().line();
        assertEquals(pid, rt.create(id).pid(), "the pid file holds the container's pid");
        // libnetwork-setkey read the state on its stdin and dockerd bound the container's netns
        Path key = Path.of(docker.run("inspect", "-f", "{{.NetworkSettings.SandboxKey}}", id).ok().line());
        assertEquals(Files.getAttribute(Path.of("/proc", pid, "ns", "net"), "unix:ino"),
                Files.getAttribute(key, "unix:ino"), "the sandbox key is the container's network namespace");
        docker.run("rm", "-f", id).ok();
    }

    @Test
    void exitCodes() throws Exception {
        run(List.of("--rm"), "sh", "-c", "exit 33").status(33);
        Cmd.Result missing = run(List.of("--rm"), "/no/such/binary").status(127);
        assertTrue(missing.err().contains("no such file or directory"), missing.toString());
        Cmd.Result notExecutable = run(List.of("--rm"), "/etc/passwd").status(126);
        assertTrue(notExecutable.err().contains("permission denied"), notExecutable.toString());
    }

    @Test
    void execAndItsExitCode() throws Exception {
        String id = detached();
        Cmd.Result r = docker.run("exec", id, "sh", "-c", "echo in the container; exit 3").status(3);
        assertEquals("in the container\n", r.out());
        // docker 20.10 answers 126 to any failed exec, with runc too (127 is only for run's command)
        Cmd.Result missing = docker.run("exec", id, "/no/such/binary").status(126);
        assertTrue(missing.out().contains("no such file or directory"), missing.toString());
        Cmd.Result tty = Cmd.underPty(docker.env, 60, docker.cmd("exec", "-it", id, "sh", "-c", "tty; exit 4"));
        assertEquals(4, tty.status(), tty.toString());
        assertTrue(tty.out().contains("/dev/pts/"), tty.toString());
        List<Call> execs = rt.calls(id, "exec");
        assertTrue(execs.stream().anyMatch(c -> c.option("--console-socket") != null), execs.toString());
        docker.run("rm", "-f", id).ok();
    }

    @Test
    void stopSendsSigterm() throws Exception {
        String id = detached();
        docker.run("stop", "-t", "30", id).ok();
        assertEquals("143", docker.run("wait", id).ok().line(), "the probe trapped SIGTERM");
        docker.run("rm", id).ok();
        List<String> commands = rt.calls(id).stream().map(Call::command).toList();
        assertTrue(commands.containsAll(List.of("create", "start", "kill", "delete")), commands.toString());
    }
}
