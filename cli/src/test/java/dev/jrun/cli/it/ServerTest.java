package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.testbundles.Bundle;
import dev.jrun.spec.model.Hook;
import dev.jrun.testbundles.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The jrun server (issue 18): calls served warm, and whatever happens to the server, the
 * calls' outcome is what a direct jrun's would be.
 */
@Tag("server")
class ServerTest extends ContainerTest {
    @BeforeEach
    void serverMode() {
        Assumptions.assumeTrue(SERVER_MODE, "the server's own tests need it turned on");
    }

    /** The pid of the server for the state root, starting it (by a call) if need be. */
    private long serverPid(Path stateRoot, Map<String, String> env, List<String> prefix) throws Exception {
        return serverPid(jrun, stateRoot, env, prefix);
    }

    private long serverPid(Path binary, Path stateRoot, Map<String, String> env, List<String> prefix) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of(binary.toString(), "--root", stateRoot.toString(), "server", "status"));
            Result r = execEnv(env, cmd);
            for (String line : r.out().split("\n")) {
                if (line.startsWith("pid: ")) {
                    return Long.parseLong(line.substring(5));
                }
            }
            // `server status` starts no server: a call does, unless one is on its way already
            List<String> call = new ArrayList<>(prefix);
            call.addAll(List.of(binary.toString(), "--root", stateRoot.toString(), "list"));
            execEnv(env, call);
            Thread.sleep(200);
        }
        throw new AssertionError("no jrun server came up for " + stateRoot);
    }

    private static Result execEnv(Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("env"));
        env.forEach((k, v) -> full.add(k + "=" + v));
        full.addAll(cmd);
        return exec(null, full, 60);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Alive and not a zombie. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    private static void kill9(long pid) throws Exception {
        new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
        for (int i = 0; i < 100 && alive(pid); i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void servesWarmAndLeavesTheCallersCgroup() throws Exception {
        long pid = serverPid(root, Map.of(), List.of());
        String id = newId();
        Bundle b = bundle(id, c -> c.args(List.of("sleep", "60")));
        jrun("create", "--bundle", b.dir().toString(), id).ok();
        assertStatus("created", jrun("state", id).ok());
        jrun("start", id).ok();
        assertStatus("running", jrun("state", id).ok());
        assertTrue(jrun("list").ok().out().contains(id));
        jrun("kill", id, "KILL").ok();
        jrun("delete", "--force", id).ok();
        assertFalse(jrun("state", id).status() == 0);
        assertTrue(alive(pid), "the same server served every call");
        String cgroup = Files.readString(Path.of("/proc", String.valueOf(pid), "cgroup"));
        assertTrue(cgroup.contains("0::/jrun-server"), cgroup);
        assertTrue(Files.readString(Path.of(serverSocket(root) + ".log")).contains("serving " + root), "the server logs");
    }

    /**
     * A poststop hook that waits lets the server be killed in the middle of a delete: the front
     * end says so and fails, as a killed jrun would, and `delete --force` cleans up.
     */
    @Test
    void serverKilledDuringDelete() throws Exception {
        String id = newId();
        Path marker = work.resolve("hook-ran");
        Bundle b = bundle(id, c -> c.args(List.of("sleep", "60")).addHook("poststop",
                new Hook("/bin/sh", List.of("sh", "-c", "touch " + marker + "; sleep 3"), List.of("PATH=/usr/bin:/bin"), null)));
        jrun("create", "--bundle", b.dir().toString(), id).ok();
        long pid = serverPid(root, Map.of(), List.of());
        List<String> cmd = List.of(jrun.toString(), "--root", root.toString(), "delete", "--force", id);
        Process delete = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        for (int i = 0; i < 200 && !Files.exists(marker); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(marker), "the delete reached its poststop hook");
        kill9(pid);
        assertTrue(delete.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        String out = new String(delete.getInputStream().readAllBytes());
        assertEquals(1, delete.exitValue(), out);
        assertTrue(out.contains("the jrun server stopped during this call"), out);
        jrun("delete", "--force", id).ok();
        assertFalse(Files.exists(root.resolve(id)), "delete --force cleaned up");
        assertFalse(jrun("state", id).status() == 0);
    }

    /** Killed during a start (in its poststart hook): the container runs, and state and delete work. */
    @Test
    void serverKilledDuringStart() throws Exception {
        String id = newId();
        Path marker = work.resolve("hook-ran");
        Bundle b = bundle(id, c -> c.args(List.of("sleep", "60")).addHook("poststart",
                new Hook("/bin/sh", List.of("sh", "-c", "touch " + marker + "; sleep 3"), List.of("PATH=/usr/bin:/bin"), null)));
        jrun("create", "--bundle", b.dir().toString(), id).ok();
        long pid = serverPid(root, Map.of(), List.of());
        Process start = new ProcessBuilder(jrun.toString(), "--root", root.toString(), "start", id)
                .redirectErrorStream(true).start();
        for (int i = 0; i < 200 && !Files.exists(marker); i++) {
            Thread.sleep(50);
        }
        kill9(pid);
        assertTrue(start.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, start.exitValue());
        assertStatus("running", jrun("state", id).ok());
        jrun("delete", "--force", id).ok();
        assertFalse(Files.exists(root.resolve(id)));
    }

    /**
     * Killed while an exec waits in the foreground: the process runs on to its end (the front
     * end, its parent, reaps it), the front end then says the server stopped and fails, as a
     * killed jrun would, and the container is untouched.
     */
    @Test
    void serverKilledDuringExec() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args(List.of("sleep", "60")));
        jrun("run", "--detach", "--bundle", b.dir().toString(), id).ok();
        long pid = serverPid(root, Map.of(), List.of());
        Process exec = new ProcessBuilder(jrun.toString(), "--root", root.toString(), "exec", id, "/bin/sh", "-c",
                "echo running; sleep 2; exit 4").redirectErrorStream(true).start();
        java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(exec.getInputStream()));
        assertEquals("running", lines.readLine(), "the exec'd process runs");
        kill9(pid);
        assertTrue(exec.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        String out = lines.lines().collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(1, exec.exitValue(), out);
        assertTrue(out.contains("the jrun server stopped during this call"), out);
        assertStatus("running", jrun("state", id).ok());
        jrun("delete", "--force", id).ok();
        assertFalse(Files.exists(root.resolve(id)));
    }

    /** A call that changes nothing is run again in-process when the server dies under it. */
    @Test
    void readOnlyCallsSurviveAKilledServer() throws Exception {
        long pid = serverPid(root, Map.of(), List.of());
        kill9(pid);
        // the socket is left behind by the killed server: the next call starts another
        assertEquals(0, jrun("list").status());
        long next = serverPid(root, Map.of(), List.of());
        assertNotEquals(pid, next);
    }

    /** A front end of another build never talks to this server. */
    @Test
    void otherBuildUsesItsOwnServer() throws Exception {
        long pid = serverPid(root, Map.of(), List.of());
        Path other = work.resolve("other-build");
        Path dist = Path.of(System.getProperty("jrun.dist"));
        assertEquals(0, exec(null, List.of("cp", "-a", dist.toString(), other.toString()), 60).status());
        Files.writeString(other.resolve("lib/jrun/build-id"), "0123456789abcdef\n");
        long theirs = serverPid(other.resolve("bin/jrun"), root, Map.of(), List.of());
        assertNotEquals(pid, theirs, "the other build started its own server");
        assertEquals(pid, serverPid(root, Map.of(), List.of()), "ours still serves us");
        exec(null, List.of(other.resolve("bin/jrun").toString(), "--root", root.toString(), "server", "stop"), 60);
    }

    /** Another uid cannot reach root's server: its calls run in-process. */
    @Test
    void otherUidIsNotServed() throws Exception {
        long pid = serverPid(root, Map.of(), List.of());
        Result r = exec(null, List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env",
                "JRUN_SERVER_DIR=/run/jrun-server", jrun.toString(), "--root", root.toString(), "server", "status"), 60);
        assertFalse(r.out().contains("pid: " + pid), r.out() + r.err());
        assertTrue(r.out().contains("no jrun server serves this call"), r.out() + r.err());
    }

    /** Each mount namespace gets its own server. */
    @Test
    void twoMountNamespacesTwoServers() throws Exception {
        long ours = serverPid(root, Map.of(), List.of());
        Path script = work.resolve("in-ns.sh");
        Files.writeString(script, "#!/bin/sh\nfor i in $(seq 300); do\n  " + jrun + " --root " + root
                + " server status | grep '^pid: ' && exit 0\n  " + jrun + " --root " + root
                + " list >/dev/null\n  sleep 0.2\ndone\nexit 1\n");
        script.toFile().setExecutable(true);
        Result r = exec(null, List.of("unshare", "--mount", "--propagation", "unchanged", script.toString()), 120);
        assertEquals(0, r.status(), r.out() + r.err());
        long theirs = Long.parseLong(r.out().trim().substring(5));
        assertNotEquals(ours, theirs);
        assertTrue(alive(ours) && alive(theirs), "two servers");
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc", String.valueOf(ours), "ns", "mnt")),
                Files.readSymbolicLink(Path.of("/proc", String.valueOf(theirs), "ns", "mnt")));
        kill9(theirs);
    }

    @Test
    void exitsWhenIdle() throws Exception {
        long pid = serverPid(root, Map.of("JRUN_SERVER_IDLE", "2"), List.of());
        Path socket = serverSocket(root);
        assertTrue(Files.exists(socket));
        for (int i = 0; i < 200 && alive(pid); i++) {
            Thread.sleep(100);
        }
        assertFalse(alive(pid), "an idle server exits");
        assertFalse(Files.exists(socket), "and removes its socket");
        assertFalse(Files.exists(Path.of(socket + ".lock")), "its lock");
        assertFalse(Files.exists(Path.of(socket + ".log")), "and its log: it ended cleanly");
    }

    @Test
    void offSwitch() throws Exception {
        Result r = execEnv(Map.of("JRUN_NO_SERVER", "1"), List.of(jrun.toString(), "--root", root.toString(), "list"));
        assertEquals(0, r.status());
        r = execEnv(Map.of(), List.of(jrun.toString(), "--root", root.toString(), "--no-server", "list"));
        assertEquals(0, r.status(), r.err());
        Thread.sleep(1000);
        assertFalse(Files.exists(serverSocket(root)), "no server was started");
        FileTrees.delete(root);
    }

    /**
     * A served create starts the init from the front end: a subreaper calling jrun (as
     * containerd's shim is) becomes its parent, as with runc.
     */
    @Test
    void createdInitDescendsFromTheCaller() throws Exception {
        serverPid(root, Map.of(), List.of());
        String id = newId();
        Bundle b = bundle(id, c -> c.args(List.of("sleep", "60")));
        Path script = work.resolve("subreaper.py");
        Files.writeString(script, String.join("\n",
                "import ctypes, os, subprocess, sys",
                "ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER",
                "r = subprocess.run(sys.argv[1:])",
                "pid = open('pid-relative').read().strip()",
                "stat = open('/proc/%s/stat' % pid).read()",
                "ppid = int(stat[stat.rindex(')') + 2:].split()[1])",
                "print('parent-is-caller' if ppid == os.getpid() else 'parent=%d' % ppid)",
                "sys.exit(r.returncode)", ""));
        Result r = exec(b.dir(), List.of("python3", script.toString(), jrun.toString(), "--root", root.toString(),
                "create", "--pid-file", "pid-relative", id), 60);
        // the pid file, named relative to the caller's cwd (the bundle), is found there
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("parent-is-caller", r.out().trim(), r.err());
        assertStatus("created", jrun("state", id).ok());
        jrun("delete", "--force", id).ok();
    }

    /** Killed during a create (in its prestart hook): the front end fails, delete --force cleans up. */
    @Test
    void serverKilledDuringCreate() throws Exception {
        String id = newId();
        Path marker = work.resolve("hook-ran");
        Bundle b = bundle(id, c -> c.args(List.of("sleep", "60")).addHook("prestart",
                new Hook("/bin/sh", List.of("sh", "-c", "touch " + marker + "; sleep 3"), List.of("PATH=/usr/bin:/bin"),
                        null)));
        long pid = serverPid(root, Map.of(), List.of());
        Process create = new ProcessBuilder(jrun.toString(), "--root", root.toString(), "create", "--bundle",
                b.dir().toString(), id).redirectErrorStream(true).start();
        for (int i = 0; i < 300 && !Files.exists(marker); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(marker), "the create reached its prestart hook");
        kill9(pid);
        assertTrue(create.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        String out = new String(create.getInputStream().readAllBytes());
        assertEquals(1, create.exitValue(), out);
        assertTrue(out.contains("the jrun server stopped during this call"), out);
        jrun("delete", "--force", id).ok();
        assertFalse(Files.exists(root.resolve(id)), "delete --force cleaned up");
        assertFalse(jrun("state", id).status() == 0);
    }

    /** The command name of pid's parent ("jrun" for the front end; "java" for an in-process call). */
    private static String parentName(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String ppid = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1];
        return Files.readString(Path.of("/proc", ppid, "comm")).trim();
    }

    private Process start(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(jrun.toString(), "--root", root.toString()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String finish(Process p) throws Exception {
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the call did not end");
        return new String(p.getInputStream().readAllBytes());
    }

    private long runningPid(String id) throws Exception {
        for (int i = 0; i < 300; i++) {
            Result r = jrun("state", id);
            if (r.status() == 0 && "running".equals(r.json().get("status"))) {
                return ((Number) r.json().get("pid")).longValue();
            }
            Thread.sleep(20);
        }
        throw new AssertionError(id + " never ran");
    }

    /**
     * A served `run` and `exec` in the foreground: the front end is the process's parent, reads
     * the caller's stdin into it, forwards the caller's signals, proxies a tty, and ends with the
     * process's status; `run` deletes the container after.
     */
    @Test
    void foregroundRunAndExecAreServed() throws Exception {
        serverPid(root, Map.of(), List.of());

        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/sh", "-c", "read line; echo got $line; exit 3"));
        Process p = start(List.of("run", "--bundle", b.dir().toString(), id));
        p.getOutputStream().write("hello\n".getBytes());
        p.getOutputStream().close();
        String out = finish(p);
        assertEquals(3, p.exitValue(), out);
        assertEquals("got hello\n", out);
        assertFalse(Files.exists(root.resolve(id)), "run deleted its container");

        String trapped = newId();
        Bundle t = bundle(trapped, c -> c.args("/bin/jrun-probe", "sleep", "60", "--trap"));
        p = start(List.of("run", "--bundle", t.dir().toString(), trapped));
        assertEquals("jrun", parentName(runningPid(trapped)), "the front end, not a JVM, waits for the container");
        p.toHandle().destroy();
        out = finish(p);
        assertEquals(128 + 15, p.exitValue(), out);
        assertTrue(out.contains("{\"signal\":15}"), out);

        String tty = newId();
        Bundle term = bundle(tty, c -> c.terminal(true).args("/bin/sh", "-c", "stty size; tty; echo done"));
        Result r = exec(null, List.of("script", "-qec", "stty rows 33 cols 77; " + jrun + " --root " + root
                + " run --bundle " + term.dir() + " " + tty, "/dev/null"), 60);
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("33 77\n"), "the caller's window size, lines ending in \\n: " + r.out());
        assertTrue(r.out().contains("/dev/pts/"), r.out());

        String sleeper = newId();
        Bundle s = bundle(sleeper, c -> c.args("sleep", "60"));
        jrun("run", "--detach", "--bundle", s.dir().toString(), sleeper).ok();
        p = start(List.of("exec", sleeper, "/bin/sh", "-c", "read line; echo exec got $line; exit 4"));
        p.getOutputStream().write("there\n".getBytes());
        p.getOutputStream().close();
        out = finish(p);
        assertEquals(4, p.exitValue(), out);
        assertEquals("exec got there\n", out);
        r = exec(null, List.of("script", "-qec", jrun + " --root " + root + " exec -t " + sleeper + " /bin/sh -c 'tty'",
                "/dev/null"), 60);
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("/dev/pts/"), r.out());
        jrun("delete", "--force", sleeper).ok();
    }

    /**
     * A server started under a subreaper (as by containerd's shim or conmon) is adopted by it;
     * the next call from outside every subreaper starts a successor under init, and the adopted
     * server hands over and exits, though its adopter still has other children.
     */
    @Test
    void aServerAdoptedByASubreaperHandsOverToOneUnderInit() throws Exception {
        Path script = work.resolve("holder.py");
        Files.writeString(script, String.join("\n",
                "import ctypes, subprocess, sys, time",
                "ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER",
                "container = subprocess.Popen(['sleep', '120'])  # what keeps a shim or conmon busy",
                "jrun, root = sys.argv[1], sys.argv[2]",
                "for i in range(300):",
                "    out = subprocess.run([jrun, '--root', root, 'server', 'status'], capture_output=True, text=True).stdout",
                "    pids = [l[5:] for l in out.splitlines() if l.startswith('pid: ')]",
                "    if pids:",
                "        print(pids[0], flush=True)",
                "        break",
                "    subprocess.run([jrun, '--root', root, 'list'], capture_output=True)",
                "    time.sleep(0.2)",
                "sys.stdin.read()",
                "container.kill()", ""));
        Process holder = new ProcessBuilder("python3", script.toString(), jrun.toString(), root.toString()).start();
        try {
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
            assertTrue(first != null && first.matches("[0-9]+"), "the subreaper started a server: " + first);
            long adopted = Long.parseLong(first);
            assertEquals(holder.pid(), ProcessHandle.of(adopted).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                    .orElse(-1L), "adopted by the subreaper");
            long successor = -1;
            for (int i = 0; i < 150 && (successor < 0 || successor == adopted); i++) {
                jrun("list").ok();
                Thread.sleep(200);
                successor = serverPid(root, Map.of(), List.of());
            }
            assertNotEquals(adopted, successor, "a successor serves");
            // the holder reaps no one: an exited server stays its zombie
            for (int i = 0; i < 100 && running(adopted); i++) {
                Thread.sleep(100);
            }
            assertFalse(running(adopted), "the adopted server handed over and exited");
            assertEquals(1L, ProcessHandle.of(successor).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                    .orElse(-1L), "the successor's parent is init");
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        }
    }
}
