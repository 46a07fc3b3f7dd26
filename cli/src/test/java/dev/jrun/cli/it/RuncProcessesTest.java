package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.Hook;
import dev.jrun.spec.model.LinuxCapabilities;
import dev.jrun.spec.model.LinuxSeccomp;
import dev.jrun.spec.model.LinuxSyscall;
import dev.jrun.testbundles.Bundle;
import dev.jrun.testbundles.Json;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Processes, terminals, signals and hooks as runc 1.3 treats them (one test per case of the
 * drop-in issue's second part).
 */
class RuncProcessesTest extends ContainerTest {

    private static long capMask(Map<String, Object> probe, String set) {
        return Long.parseUnsignedLong((String) get(probe, "caps", set), 16);
    }

    /** Case 1: ambient capabilities without inheritable ones are a warning, as `runc spec` 1.1 writes them. */
    @Test
    void ambientWithoutInheritableIsAWarning() throws Exception {
        String id = newId();
        List<String> caps = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        Bundle b = bundle(id, c -> c.capabilities(new LinuxCapabilities(caps, caps, null, caps, caps))
                .args("/bin/jrun-probe"));
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.log().contains("{\"level\":\"warning\",\"msg\":\"can't raise ambient capability CAP_KILL: "
                + "operation not permitted\""), r.log());
        assertEquals(0L, capMask(r.json(), "ambient"));
    }

    /** Case 2: exec --cap adds to the ambient set too, where the config has inheritable capabilities. */
    @Test
    void execCapReachesTheAmbientSet() throws Exception {
        String id = newId();
        List<String> caps = List.of("CAP_KILL");
        // inheritable has CAP_CHOWN already: an ambient capability must be inheritable to be raised
        List<String> both = List.of("CAP_KILL", "CAP_CHOWN");
        Bundle b = bundle(id, c -> c.capabilities(new LinuxCapabilities(both, caps, both, caps, caps))
                .args("/bin/jrun-probe", "sleep", "60"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        Map<String, Object> p = jrun("exec", "--cap", "CAP_CHOWN", id, "/bin/jrun-probe").ok().json();
        assertTrue((capMask(p, "ambient") & 1L) != 0, "CAP_CHOWN (0) is ambient: " + get(p, "caps", "ambient"));
    }

    /** Cases 3 and 4: jrun's own tty proxy writes "\n" line ends; the pty is group tty, mode 620. */
    @Test
    void theProxiedTerminalEndsLinesInNewlineAndBelongsToTty() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.terminal(true).args("/bin/sh", "-c",
                "echo 444; /bin/jrun-probe stat $(readlink /proc/self/fd/0)"));
        File out = work.resolve("tty.out").toFile();
        Process p = new ProcessBuilder(jrun.toString(), "--root", root.toString(), "run", "--bundle",
                b.dir().toString(), id).redirectInput(new File("/dev/null")).redirectOutput(out)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = Files.readString(out.toPath());
        assertTrue(text.startsWith("444\n"), "no carriage return: " + text.replace("\r", "\\r"));
        Map<String, Object> stat = Json.parseObject(text.substring(4).trim());
        Map<String, Object> pty = (Map<String, Object>) stat.values().iterator().next();
        assertEquals(5L, number(pty.get("gid")), "group tty");
        assertEquals("0620", pty.get("mode_octal"));
    }

    /** Case 6: a created container holds no fd of jrun's (the memfd it ran from is closed). */
    @Test
    void aCreatedContainerHoldsNoExtraFds() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "exit", "0"));
        jrun("create", "--bundle", b.dir().toString(), id).ok();
        long pid = number(jrun("state", id).ok().json().get("pid"));
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                int n = Integer.parseInt(fd.getFileName().toString());
                String target = Files.readSymbolicLink(fd).toString();
                assertTrue(n <= 2 || target.endsWith("/exec.fifo"), "fd " + n + " -> " + target);
            }
        }
    }

    /** Case 7: whether a command may run is judged with the process's capabilities (CAP_DAC_OVERRIDE). */
    @Test
    void capDacOverrideRunsWhatOthersMayNot() throws Exception {
        String id = newId();
        List<String> caps = List.of("CAP_DAC_OVERRIDE");
        Bundle b = bundle(id, c -> c.user(1000, 1000)
                .capabilities(new LinuxCapabilities(caps, caps, caps, caps, caps))
                .args("/bin/ownerprobe", "exit", "0"));
        Path prog = b.rootfs().resolve("bin/ownerprobe");
        Files.copy(b.rootfs().resolve("bin/jrun-probe"), prog);
        Files.setPosixFilePermissions(prog, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr--r--"));
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.status(), r.err());
    }

    /** Case 8: the cwd is entered before the capabilities are dropped. */
    @Test
    void theCwdIsEnteredWhileRootMayStill() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.cwd("/private").args("/bin/jrun-probe"));
        Path dir = Files.createDirectories(b.rootfs().resolve("private"));
        assertEquals(0, exec(null, List.of("chown", "42:42", dir.toString()), 10).status());
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Map<String, Object> p = jrun("run", "--bundle", b.dir().toString(), id).ok().json();
        assertEquals("/private", p.get("cwd"));
    }

    /** Case 9: an empty HOME takes the passwd one; a variable given twice keeps its last value. */
    @Test
    void theEnvironmentIsPreparedAsRuncPreparesIt() throws Exception {
        Map<String, Object> p = probe(c -> c.env("PATH=/bin:/sbin", "HOME=/x", "A=1", "HOME=", "A=2"));
        List<String> env = get(p, "env");
        assertEquals(List.of("PATH=/bin:/sbin", "A=2", "HOME=/root"), env);
    }

    /** Case 10: the init runs on every CPU of its cpuset, not on jrun's own affinity. */
    @Test
    void theCpuAffinityIsNotInheritedFromJrun() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe"));
        Result r = exec(null, List.of("taskset", "-c", "0", jrun.toString(), "--root", root.toString(), "run",
                "--bundle", b.dir().toString(), id), 60);
        assertEquals(0, r.status(), r.err());
        List<Object> cpus = get(r.json(), "cpu_affinity");
        assertEquals(Runtime.getRuntime().availableProcessors(), cpus.size(), "every cpu: " + cpus);
    }

    /** Cases 11 and 12: exec's own failures exit 255; kill 0 probes, and on a stopped container fails. */
    @Test
    void execFailuresExit255AndSignalZeroProbes() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "60"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        Result r = jrun("exec", "--pid-file", "/nonexistent/dir/x.pid", id, "/bin/true");
        assertEquals(255, r.status(), r.err());
        assertEquals(255, jrun("exec", id, "/nonexistent").status(), "a missing command too");
        jrun("kill", id, "0").ok();
        jrun("kill", id, "9").ok();
        for (int i = 0; i < 100 && !"stopped".equals(jrun("state", id).json().get("status")); i++) {
            Thread.sleep(20);
        }
        Result stopped = jrun("kill", id, "0");
        assertEquals(1, stopped.status());
        assertEquals("container not running\n", stopped.err());
    }

    /**
     * Case 21: a command execve cannot start after the container started (its interpreter is
     * missing) prints runc's bare sentence, with no prefix, and the container exits 255 as
     * runc's init does.
     */
    @Test
    void aScriptWithAMissingInterpreterFailsInRuncsWords() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/run.sh"));
        Path script = b.rootfs().resolve("run.sh");
        Files.writeString(script, "#!/bin/no-such-shell\necho unreachable\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        assertEquals(255, r.status(), r.err());
        assertEquals("exec /run.sh: no such file or directory\n", r.err());
        assertEquals("", r.out());
    }

    /** Case 13: without a pid namespace of its own, kill reaches the cgroup's processes after the init is gone. */
    @Test
    void killReachesWhatOutlivesTheInitWithoutAPidNamespace() throws Exception {
        String id = newId();
        Path pidFile = work.resolve("straggler.pid");
        Bundle b = bundle(id, c -> c.removeNamespace("pid").bindMount(work.toString(), "/work", "bind")
                .args("/bin/sh", "-c", "/bin/jrun-probe sleep 300 & echo $! > /work/straggler.pid; exit 0"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        for (int i = 0; i < 200 && !"stopped".equals(jrun("state", id).json().get("status")); i++) {
            Thread.sleep(20);
        }
        long straggler = Long.parseLong(Files.readString(pidFile).trim());
        assertTrue(Files.exists(Path.of("/proc/" + straggler)), "the straggler outlived the init");
        jrun("kill", "--all", id, "9").ok();
        for (int i = 0; i < 200 && Files.exists(Path.of("/proc/" + straggler)); i++) {
            Thread.sleep(20);
        }
        assertFalse(Files.exists(Path.of("/proc/" + straggler)), "kill --all reached it");
        Result again = jrun("kill", "--all", id, "9");
        assertEquals("container not running\n", again.err(), "nothing is left to signal");
    }

    /** Case 19: startContainer hooks get the process's environment and run under its seccomp filter. */
    @Test
    void startContainerHooksInheritTheEnvironmentAndTheFilter() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.setEnv("FROM_PROCESS", "yes").bindMount(work.toString(), "/work", "bind")
                .addHook("startContainer", new Hook("/bin/sh", List.of("sh", "-c", "echo $FROM_PROCESS > /work/env"),
                        null, null)).args("/bin/jrun-probe", "exit", "0"));
        jrun("run", "--bundle", b.dir().toString(), id).ok();
        assertEquals("yes", Files.readString(work.resolve("env")).trim());

        String killed = newId();
        LinuxSeccomp filter = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, null, null,
                List.of(new LinuxSyscall(List.of("mkdir", "mkdirat"), "SCMP_ACT_KILL", null, null)));
        Bundle k = bundle(killed, c -> c.noNewPrivileges(true).seccomp(filter).addHook("startContainer",
                new Hook("/bin/sh", List.of("sh", "-c", "mkdir /tmp/made-by-hook"), null, null))
                .args("/bin/jrun-probe", "exit", "0"));
        Result r = jrun("run", "--bundle", k.dir().toString(), killed);
        assertTrue(r.err().contains("error running startContainer hook #0: signal: bad system call"), r.err());
        assertFalse(Files.exists(k.rootfs().resolve("tmp/made-by-hook")));
    }

    /** Case 25: --pidfd-socket sends a pidfd of the container's process, with runc's word for its kind. */
    @Test
    void aPidfdGoesToThePidfdSocket() throws Exception {
        Path socket = work.resolve("pidfd.sock");
        Path script = Files.writeString(work.resolve("recvpidfd.py"), String.join("\n",
                "import os, socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                "s.bind(sys.argv[1]); s.listen(1); print('ready', flush=True)",
                "c, _ = s.accept()",
                "msg, fds, _, _ = socket.recv_fds(c, 64, 1)",
                "pid = [l.split()[1] for l in open('/proc/self/fdinfo/%d' % fds[0]) if l.startswith('Pid:')][0]",
                "print(msg.decode(), pid, flush=True)", ""));
        Process recv = new ProcessBuilder("python3", script.toString(), socket.toString()).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(recv.getInputStream()));
        assertEquals("ready", lines.readLine());
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "60"));
        jrun("create", "--pidfd-socket", socket.toString(), "--bundle", b.dir().toString(), id).ok();
        long pid = number(jrun("state", id).ok().json().get("pid"));
        assertEquals("standard " + pid, lines.readLine());
        recv.destroyForcibly().waitFor();
    }

    /** Case 26: state and list name the owner. */
    @Test
    void stateAndListShowTheOwner() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "60"));
        jrun("create", "--bundle", b.dir().toString(), id).ok();
        assertEquals("root", jrun("state", id).ok().json().get("owner"));
        assertTrue(jrun("list").ok().out().lines().anyMatch(l -> l.startsWith(id) && l.trim().endsWith("root")));
    }

    /** Cases 21/22: without --log, warnings reach stderr as logrus lines; --debug is one line per step. */
    @Test
    void stderrCarriesLogrusLinesAndDebugIsOneLinePerStep() throws Exception {
        String id = newId();
        List<String> caps = List.of("CAP_KILL");
        Bundle b = bundle(id, c -> c.capabilities(new LinuxCapabilities(caps, caps, null, caps, caps))
                .args("/bin/jrun-probe", "exit", "0"));
        Result r = exec(null, List.of(jrun.toString(), "--root", root.toString(), "run", "--bundle",
                b.dir().toString(), id), 60);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().matches("time=\"[0-9T:-]+Z\" level=warning msg=\"can't raise ambient capability CAP_KILL: "
                + "operation not permitted\"\n"), r.err());

        String other = newId();
        Bundle quiet = bundle(other, c -> c.args("/bin/jrun-probe", "exit", "0"));
        Result debug = jrun("--debug", "create", "--bundle", quiet.dir().toString(), other);
        assertEquals(0, debug.status(), debug.err());
        jrun("delete", "--force", other).ok();
        List<String> lines = debug.log().lines().toList();
        assertTrue(lines.stream().allMatch(l -> l.startsWith("{\"level\":\"debug\",\"msg\":\"")), debug.log());
        assertTrue(lines.stream().anyMatch(l -> l.contains("create " + other + ": plan: ")), debug.log());
        assertTrue(lines.stream().anyMatch(l -> l.contains("create " + other + ": container init is pid ")), debug.log());
        assertTrue(lines.stream().noneMatch(l -> l.contains("\\n")), "one step per line: " + debug.log());
    }

    /** Case 21: exec --cgroup is parsed, and refused, in runc's words. */
    @Test
    void execCgroupArgumentsInRuncsWords() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "30"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        try {
            String[][] refusals = {
                {".. is not a sub cgroup path", "--cgroup", ".."},
                {"../.. is not a sub cgroup path", "--cgroup", "memory:../.."},
                {"invalid --cgroup argument(s): controller memory specified multiple times",
                    "--cgroup", "memory:a", "--cgroup", "cpu,memory:b"},
                {"invalid --cgroup argument: :a (empty <controller> prefix)", "--cgroup", ":a"},
                {"invalid --cgroup argument: b (missing <controller>: prefix)", "--cgroup", "memory:a", "--cgroup", "b"},
                {"unknown controller nosuch in SubCgroupPaths", "--cgroup", "nosuch:a"},
            };
            for (String[] refusal : refusals) {
                List<String> args = new java.util.ArrayList<>(List.of("exec"));
                args.addAll(List.of(refusal).subList(1, refusal.length));
                args.addAll(List.of(id, "true"));
                Result r = jrun(args.toArray(new String[0]));
                assertEquals(255, r.status(), String.join(" ", args));
                assertEquals(refusal[0] + "\n", r.err(), String.join(" ", args));
            }
            // a sub-path that comes back inside is fine (runc joins and cleans it the same way)
            Path sub = Files.createDirectories(Path.of("/sys/fs/cgroup/memory/jrun-test", id, "sub"));
            Result in = jrun("exec", "--cgroup", "memory:x/../sub", id, "cat", "/proc/self/cgroup");
            assertEquals(0, in.status(), in.err());
            assertTrue(in.out().contains(":memory:/jrun-test/" + id + "/sub\n"), in.out());
            assertTrue(Files.isDirectory(sub));
        } finally {
            jrun("delete", "--force", id);
        }
    }

    /** Case 21: SCHED_DEADLINE in a cpuset the kernel will not admit it to, in runc's words. */
    @Test
    void deadlineSchedulingWithAllowedCpusInRuncsWords() throws Exception {
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one CPU is the whole root domain");
        String id = newId();
        Bundle b = bundle(id, c -> c.scheduler(new dev.jrun.spec.model.Scheduler("SCHED_DEADLINE", null, null, null,
                        10_000_000L, 20_000_000L, 20_000_000L))
                .resources(r -> new dev.jrun.spec.model.LinuxResources(r.devices(), r.memory(),
                        new dev.jrun.spec.model.LinuxCPU(null, null, null, null, null, null, "0", null, null), r.pids(),
                        r.blockIO(), r.hugepageLimits(), r.network(), r.rdma(), r.unified()))
                .args("/bin/jrun-probe", "exit", "0"));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status(), r.out());
        assertEquals("process scheduler can't be used together with AllowedCPUs\n", r.err());
        assertEquals(1, jrun("state", id).status(), "nothing is left of it");
    }
}
