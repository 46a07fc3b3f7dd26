package dev.jrun.testbundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles the probe with gcc and runs every mode on the host, checking the JSON it prints. */
class ProbeTest {

    @TempDir
    static Path buildDir;

    @TempDir
    Path tmp;

    static Path probe;

    @BeforeAll
    static void compile() throws IOException {
        // Fails (does not skip) when gcc is missing: CI installs it.
        probe = Probe.compile(Probe.source(), buildDir.resolve("jrun-probe"));
        assertTrue(Files.isExecutable(probe));
    }

    record Result(int exit, String stdout, String stderr) {
        Map<String, Object> json() {
            return Probe.parse(stdout);
        }
    }

    static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(probe.toString());
        cmd.addAll(List.of(args));
        java.lang.Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = readAll(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe timed out: " + cmd);
        return new Result(p.exitValue(), out, err.get());
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) assertInstanceOf(Map.class, o);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) assertInstanceOf(List.class, o);
    }

    @Test
    void infoHasEveryKey() throws Exception {
        Result r = run("--sysctl", "kernel.ostype", "--sysctl", "kernel.no_such_sysctl");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(1, r.stdout().chars().filter(c -> c == '\n').count(), "one line of output");
        Map<String, Object> j = r.json();
        for (String key : Probe.INFO_KEYS) {
            assertTrue(j.containsKey(key), "missing key " + key);
        }
        assertEquals(ProcessHandle.current().pid(), ((Number) j.get("ppid")).longValue());
        for (String k : List.of("pid", "uid", "euid", "suid", "gid", "egid", "sgid", "umask", "no_new_privs",
                "seccomp", "personality", "sched_policy", "sched_priority", "ioprio", "ctty")) {
            assertInstanceOf(Long.class, j.get(k), k);
        }
        assertInstanceOf(String.class, j.get("hostname"));
        assertInstanceOf(String.class, j.get("cwd"));
        list(j.get("groups")).forEach(g -> assertInstanceOf(Long.class, g));
        assertEquals(List.of(probe.toString(), "--sysctl", "kernel.ostype", "--sysctl", "kernel.no_such_sysctl"),
                j.get("args"));
        assertFalse(list(j.get("env")).isEmpty());

        Map<String, Object> caps = obj(j.get("caps"));
        assertEquals(Probe.CAP_SETS.stream().sorted().toList(), caps.keySet().stream().sorted().toList());
        caps.values().forEach(v -> assertTrue(((String) v).matches("[0-9a-f]{16}"), "cap set " + v));

        Map<String, Object> rl = obj(j.get("rlimits"));
        assertEquals(Probe.RLIMITS, List.copyOf(rl.keySet()));
        for (Object v : rl.values()) {
            Map<String, Object> lim = obj(v);
            for (String side : List.of("soft", "hard")) {
                Object x = lim.get(side);
                assertTrue(x instanceof Long || "unlimited".equals(x), side + " = " + x);
            }
        }

        Map<String, Object> ns = obj(j.get("namespaces"));
        assertEquals(Probe.NAMESPACES, List.copyOf(ns.keySet()));
        assertTrue(((String) ns.get("pid")).matches("pid:\\[\\d+\\]"), "pid ns " + ns.get("pid"));
        assertTrue(((String) ns.get("mnt")).startsWith("mnt:["));

        List<Object> mounts = list(j.get("mounts"));
        assertFalse(mounts.isEmpty());
        boolean rootSeen = false;
        for (Object m : mounts) {
            Map<String, Object> mount = obj(m);
            for (String key : Probe.MOUNT_KEYS) {
                assertInstanceOf(String.class, mount.get(key), key + " in " + mount);
            }
            rootSeen |= "/".equals(mount.get("mount_point"));
        }
        assertTrue(rootSeen, "/ is in the mount list");

        List<Object> fds = list(j.get("fds"));
        assertTrue(fds.containsAll(List.of(0L, 1L, 2L)), "stdio in " + fds);
        Map<String, Object> targets = obj(j.get("fd_targets"));
        assertEquals("/dev/null", targets.get("0"));
        assertTrue(((String) targets.get("1")).startsWith("pipe:"), "stdout is a pipe: " + targets.get("1"));

        assertFalse(list(j.get("cgroup")).isEmpty());
        assertFalse(list(j.get("cpu_affinity")).isEmpty());
        assertEquals(Boolean.FALSE, j.get("tty"));
        assertNull(j.get("ttyname"));
        assertNull(j.get("winsize"));
        assertEquals(probe.toRealPath().toString(), j.get("exe"));

        Map<String, Object> sysctl = obj(j.get("sysctl"));
        assertEquals("Linux", sysctl.get("kernel.ostype"));
        assertTrue(sysctl.containsKey("kernel.no_such_sysctl"));
        assertNull(sysctl.get("kernel.no_such_sysctl"));

        Map<String, Object> time = obj(j.get("time"));
        assertTrue(((Double) time.get("monotonic")) > 0);
        assertTrue(((Double) time.get("boottime")) >= (Double) time.get("monotonic"));
    }

    @Test
    void infoSubcommandAndUmask() throws Exception {
        Result r = run("info");
        assertEquals(0, r.exit());
        Map<String, Object> j = r.json();
        long umask = (Long) j.get("umask");
        assertTrue(umask >= 0 && umask <= 0777);
    }

    @Test
    void infoEscapesStrings() throws Exception {
        Result r = run("--sysctl", "kernel.ostype", "quote\"back\\slash\ttab\u0001");
        Map<String, Object> j = r.json();
        assertEquals("quote\"back\\slash\ttab\u0001", list(j.get("args")).get(3));
    }

    @Test
    void stat() throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "abc");
        Files.setAttribute(file, "unix:mode", 0640);
        Files.createSymbolicLink(tmp.resolve("l"), Path.of("f"));
        Map<String, Object> j = run("stat", file.toString(), "/dev/null", tmp.resolve("l").toString(),
                tmp.resolve("missing").toString(), tmp.toString()).json();
        Map<String, Object> f = obj(j.get(file.toString()));
        assertEquals("file", f.get("type"));
        assertEquals((long) 0640, f.get("mode"));
        assertEquals("0640", f.get("mode_octal"));
        assertEquals(3L, f.get("size"));
        assertInstanceOf(Long.class, f.get("uid"));
        assertInstanceOf(Long.class, f.get("gid"));
        Map<String, Object> devnull = obj(j.get("/dev/null"));
        assertEquals("char", devnull.get("type"));
        assertEquals(1L, devnull.get("rdev_major"));
        assertEquals(3L, devnull.get("rdev_minor"));
        Map<String, Object> link = obj(j.get(tmp.resolve("l").toString()));
        assertEquals("symlink", link.get("type"));
        assertEquals("f", link.get("link_target"));
        assertEquals("ENOENT", obj(j.get(tmp.resolve("missing").toString())).get("errno"));
        assertEquals("dir", obj(j.get(tmp.toString())).get("type"));
    }

    @Test
    void readAndWrite() throws Exception {
        Path file = tmp.resolve("data");
        Map<String, Object> w = run("write", file.toString(), "hello\nworld").json();
        assertEquals(Boolean.TRUE, w.get("ok"));
        assertEquals(11L, w.get("written"));
        assertEquals("hello\nworld", Files.readString(file));

        Map<String, Object> rd = run("read", file.toString()).json();
        assertEquals(Boolean.TRUE, rd.get("ok"));
        assertEquals("hello\nworld", rd.get("content"));

        Files.write(file, new byte[] {'a', (byte) 0xff, 0, 'b'});
        Map<String, Object> bin = run("read", file.toString()).json();
        assertEquals("a\u00ff\u0000b", bin.get("content"), "stray bytes are escaped, JSON stays valid");

        Result missing = run("read", tmp.resolve("nope").toString());
        assertEquals(1, missing.exit());
        assertEquals("ENOENT", missing.json().get("errno"));
        assertEquals(2L, missing.json().get("errno_num"));

        Map<String, Object> wf = run("write", tmp.resolve("no/such/dir").toString(), "x").json();
        assertEquals(Boolean.FALSE, wf.get("ok"));
        assertEquals("open", wf.get("step"));
        assertEquals("ENOENT", wf.get("errno"));
    }

    @Test
    void mountUmountReportsErrno() throws Exception {
        // Not a mount point: EINVAL as root, EPERM otherwise; either way nothing is unmounted.
        Map<String, Object> j = run("mount-umount", tmp.toString()).json();
        assertEquals(-1L, j.get("ret"));
        assertTrue(List.of("EINVAL", "EPERM").contains(j.get("errno")), "errno " + j.get("errno"));
        assertEquals(Boolean.FALSE, j.get("still_mounted"));
    }

    @Test
    void syscalls() throws Exception {
        Map<String, Object> pid = run("syscall", "getpid").json();
        assertEquals("getpid", pid.get("syscall"));
        assertTrue((Long) pid.get("ret") > 0);
        assertNull(pid.get("errno"));
        assertEquals(Boolean.TRUE, pid.get("forked"));

        Path dir = tmp.resolve("made");
        assertEquals(0L, run("syscall", "mkdir", dir.toString(), "700").json().get("ret"));
        assertTrue(Files.isDirectory(dir));
        Map<String, Object> again = run("syscall", "mkdir", dir.toString()).json();
        assertEquals(-1L, again.get("ret"));
        assertEquals("EEXIST", again.get("errno"));
        assertEquals(0L, run("syscall", "chmod", dir.toString(), "750").json().get("ret"));
        assertEquals(0750, (Integer) Files.getAttribute(dir, "unix:mode") & 07777);

        assertInstanceOf(Long.class, run("syscall", "personality", "0xffffffff").json().get("ret"));
        assertTrue((Long) run("syscall", "socket", "AF_UNIX", "SOCK_STREAM").json().get("ret") >= 0);
        assertTrue((Long) run("syscall", "clone3").json().get("ret") > 0);
        Map<String, Object> inline = run("syscall", "--inline", "getppid").json();
        assertEquals(ProcessHandle.current().pid(), inline.get("ret"));
        assertEquals(Boolean.FALSE, inline.get("forked"));
        Map<String, Object> raw = run("syscall", "raw", "39").json();
        assertTrue((Long) raw.get("ret") > 0);

        Map<String, Object> unshare = run("syscall", "unshare", "CLONE_NEWUTS|CLONE_NEWIPC").json();
        assertTrue(unshare.containsKey("ret"));

        Map<String, Object> killed = run("syscall", "raise", "9").json();
        assertEquals(9L, killed.get("signal"));
        assertEquals("SIGKILL", killed.get("signal_name"));
        assertFalse(killed.containsKey("ret"));

        Map<String, Object> exited = run("syscall", "raw", "60", "7").json();
        assertEquals(7L, exited.get("exit_code"));
    }

    @Test
    void processModes() throws Exception {
        Map<String, Object> slept = run("sleep", "0.05").json();
        assertEquals(0.05, (Double) slept.get("slept"), 1e-9);

        Result exit = run("exit", "3");
        assertEquals(3, exit.exit());
        assertEquals(3L, exit.json().get("exit"));

        Result alloc = run("alloc", "3");
        assertEquals(0, alloc.exit());
        assertEquals(3L, alloc.json().get("allocated_mib"));
        assertEquals(Boolean.TRUE, alloc.json().get("ok"));
        assertTrue(alloc.stderr().contains("allocated 3 MiB"), alloc.stderr());

        Map<String, Object> fork = run("fork", "3").json();
        assertEquals(3L, fork.get("requested"));
        assertEquals(3L, fork.get("forked"));
        assertNull(fork.get("errno"));
        assertEquals(3, list(fork.get("pids")).size());

        // how much of the CPU a spinner gets depends on the machine's load: half a second of
        // spinning gets at least 10 ms on any machine that runs the tests, a sleeper none
        Map<String, Object> spin = run("spin", "0.5").json();
        assertTrue((Double) spin.get("spun") >= 0.5);
        assertTrue((Double) spin.get("cpu_seconds") > 0.01, "busy loop burns CPU: " + spin);
    }

    @Test
    void sleepTrapExitsOnTerm() throws Exception {
        java.lang.Process p = new ProcessBuilder(probe.toString(), "sleep", "30", "--trap").start();
        // SIGTERM only once the handler is installed: SigCgt shows it (a loaded machine may take long)
        Path status = Path.of("/proc/" + p.pid() + "/status");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!catches(status, 15)) {
            assertTrue(System.nanoTime() < deadline, "the probe installed no SIGTERM handler within 60 s");
            Thread.sleep(10);
        }
        p.toHandle().destroy(); // SIGTERM, keeping our end of the pipes open
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(128 + 15, p.exitValue());
        assertEquals(15L, Probe.parse(readAll(p.getInputStream())).get("signal"));
    }

    /** Whether the process of this /proc/PID/status has a handler for the signal. */
    private static boolean catches(Path status, int signal) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigCgt:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (signal - 1))) != 0;
            }
        }
        return false;
    }

    @Test
    void helpers() {
        assertEquals(List.of("/bin/jrun-probe", "stat", "/a", "/b"), Probe.command("stat", "/a", "/b"));
        assertTrue(Files.isRegularFile(Probe.source()), Probe.source().toString());
        String saved = System.getProperty("jrun.probe");
        try {
            System.setProperty("jrun.probe", "/x/probe");
            assertEquals(Path.of("/x/probe"), Probe.binary());
        } finally {
            if (saved == null) {
                System.clearProperty("jrun.probe");
            } else {
                System.setProperty("jrun.probe", saved);
            }
        }
        assertEquals(Map.of("a", List.of(1L, 2.5, true)), Probe.parse(" {\"a\":[1,2.5,true]}\n"));
        assertEquals(2, Json.parseAll("{} {\"x\":null}").size());
    }

    @Test
    void unknownModeIsAUsageError() throws Exception {
        Result r = run("no-such-mode");
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("usage"));
        assertNotNull(r.stderr());
    }
}
