package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.testbundles.Bundle;
import dev.jrun.testbundles.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** `exec` in both forms, what the new process joins and gets, exit statuses, and concurrency. */
class ExecTest extends ContainerTest {

    /** A running container whose init sleeps; returns its id. */
    private String running() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "300"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        return id;
    }

    private long initPid(String id) throws Exception {
        return number(jrun("state", id).ok().json().get("pid"));
    }

    @Test
    void processFileJoinsEveryNamespaceAndTheCgroup() throws Exception {
        String id = running();
        long init = initPid(id);
        Path process = work.resolve("process.json");
        Files.writeString(process, "{\"terminal\":false,\"user\":{\"uid\":1000,\"gid\":1000,\"additionalGids\":[2000]},"
                + "\"args\":[\"/bin/jrun-probe\"],\"env\":[\"PATH=/bin\",\"X=y\"],\"cwd\":\"/home/probe\","
                + "\"capabilities\":{\"bounding\":[\"CAP_KILL\"],\"effective\":[\"CAP_KILL\"],\"permitted\":[\"CAP_KILL\"],"
                + "\"ambient\":[\"CAP_KILL\"],\"inheritable\":[\"CAP_KILL\"]},\"noNewPrivileges\":true,"
                + "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":100,\"hard\":200}]}");
        Map<String, Object> p = jrun("exec", "--process", process.toString(), id).ok().json();
        for (String ns : List.of("mnt", "pid", "net", "ipc", "uts")) {
            assertEquals(Files.readSymbolicLink(Path.of("/proc/" + init + "/ns/" + ns)).toString(),
                    get(p, "namespaces", ns), ns);
        }
        assertNotEquals(1L, number(p.get("pid")), "a second process in the container's pid namespace");
        assertEquals(Files.readAllLines(Path.of("/proc/" + init + "/cgroup")), p.get("cgroup"));
        assertEquals(1000L, number(p.get("uid")));
        assertEquals(List.of(2000L), ((List<?>) p.get("groups")).stream().map(o -> number(o)).toList());
        assertEquals("/home/probe", p.get("cwd"));
        assertEquals(List.of("PATH=/bin", "X=y", "HOME=/home/probe"), p.get("env"));
        assertEquals("0000000000000020", get(p, "caps", "effective"));
        assertEquals("0000000000000020", get(p, "caps", "bounding"));
        assertEquals(1L, number(p.get("no_new_privs")));
        assertEquals(100L, number(get(p, "rlimits", "RLIMIT_NOFILE", "soft")));
        assertEquals(List.of(0L, 1L, 2L), ((List<?>) p.get("fds")).stream().map(o -> number(o)).toList(),
                "no host fd reaches the process");
    }

    @Test
    void flagFormStartsFromTheContainersProcess() throws Exception {
        String id = running();
        Map<String, Object> p = jrun("exec", "-e", "A=1", "--env", "B=2", "--cwd", "/tmp", "-u", "1000:1000",
                "-g", "2000", "--cap", "CAP_SYS_ADMIN", "--no-new-privs", id, "/bin/jrun-probe").ok().json();
        List<?> env = (List<?>) p.get("env");
        assertTrue(env.contains("A=1") && env.contains("B=2") && env.contains("TERM=xterm"), env.toString());
        assertEquals("/tmp", p.get("cwd"));
        assertEquals(1000L, number(p.get("uid")));
        assertEquals(List.of(2000L), ((List<?>) p.get("groups")).stream().map(o -> number(o)).toList());
        long bounding = Long.parseLong((String) get(p, "caps", "bounding"), 16);
        assertTrue((bounding & (1L << 21)) != 0, "CAP_SYS_ADMIN was added to the bounding set");
        assertEquals(1L, number(p.get("no_new_privs")));
    }

    @Test
    void exitStatusTable() throws Exception {
        String id = running();
        assertEquals(0, jrun("exec", id, "true").status());
        assertEquals(3, jrun("exec", id, "sh", "-c", "exit 3").status());
        assertEquals(137, jrun("exec", id, "sh", "-c", "kill -9 $$").status());
        Result missing = jrun("exec", id, "no-such-command");
        assertEquals(255, missing.status(), "as runc's exec: 255 for any process it could not start");
        assertEquals("exec: \"no-such-command\": executable file not found in $PATH\n", missing.err());
        Result notExec = jrun("exec", id, "/etc/passwd");
        assertEquals(255, notExec.status());
        assertEquals("exec: \"/etc/passwd\": permission denied\n", notExec.err());
        Result absent = jrun("exec", id, "/no/such/file");
        assertEquals(255, absent.status());
        assertEquals("exec: \"/no/such/file\": stat /no/such/file: no such file or directory\n", absent.err());
    }

    @Test
    void detachWritesThePidFileAndReturns() throws Exception {
        String id = running();
        Path pidFile = work.resolve("exec.pid");
        jrun("exec", "--detach", "--pid-file", pidFile.toString(), id, "/bin/jrun-probe", "sleep", "30").ok();
        long pid = Long.parseLong(Files.readString(pidFile));
        List<Object> pids = (List<Object>) Json.parseAll(jrun("ps", "--format", "json", id).ok().out()).get(0);
        assertTrue(pids.stream().anyMatch(o -> number(o) == pid), pids + " has " + pid);
    }

    @Test
    void refusedForStoppedPausedAndUnknownContainers() throws Exception {
        String id = running();
        jrun("pause", id).ok();
        Result paused = jrun("exec", id, "true");
        assertEquals(255, paused.status(), "exec's own failures exit 255, as runc's");
        assertEquals("cannot exec in a paused container (use --ignore-paused to override)\n", paused.err());
        // with --ignore-paused the process joins the frozen cgroup and runs once the container resumes
        Process exec = new ProcessBuilder(jrun.toString(), "--root", root.toString(), "exec", "--ignore-paused", id,
                "true").start();
        Thread.sleep(500);
        assertTrue(exec.isAlive(), "frozen with the container");
        jrun("resume", id).ok();
        assertTrue(exec.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, exec.exitValue(), new String(exec.getErrorStream().readAllBytes()));
        jrun("kill", id, "KILL").ok();
        for (int i = 0; i < 100 && !"stopped".equals(jrun("state", id).json().get("status")); i++) {
            Thread.sleep(10);
        }
        Result stopped = jrun("exec", id, "true");
        assertEquals(255, stopped.status());
        assertEquals("cannot exec in a stopped container\n", stopped.err());
        Result unknown = jrun("exec", "nope", "true");
        assertEquals("container \"nope\" does not exist\n", unknown.err());
    }

    @Test
    void preservedFdsAndSubCgroup() throws Exception {
        String id = running();
        Path sub = Files.createDirectories(Path.of("/sys/fs/cgroup/memory/jrun-test", id, "sub"));
        for (String ctl : List.of("pids", "cpu", "freezer", "devices", "blkio", "cpuacct", "systemd", "unified")) {
            Files.createDirectories(Path.of("/sys/fs/cgroup", ctl, "jrun-test", id, "sub"));
        }
        Files.createDirectories(Path.of("/sys/fs/cgroup/cpuset/jrun-test", id, "sub"));
        Files.writeString(Path.of("/sys/fs/cgroup/cpuset/jrun-test", id, "sub/cpuset.cpus"),
                Files.readString(Path.of("/sys/fs/cgroup/cpuset/jrun-test", id, "cpuset.cpus")));
        Files.writeString(Path.of("/sys/fs/cgroup/cpuset/jrun-test", id, "sub/cpuset.mems"),
                Files.readString(Path.of("/sys/fs/cgroup/cpuset/jrun-test", id, "cpuset.mems")));
        String cmd = "exec 3</etc/hostname; exec " + jrun + " --root " + root + " exec --preserve-fds 1 --cgroup sub "
                + id + " /bin/jrun-probe";
        Result r = exec(null, List.of("/bin/sh", "-c", cmd), 60);
        assertEquals(0, r.status(), r.err());
        Map<String, Object> p = r.json();
        assertEquals(List.of(0L, 1L, 2L, 3L), ((List<?>) p.get("fds")).stream().map(o -> number(o)).toList());
        List<String> cgroups = get(p, "cgroup");
        assertTrue(cgroups.stream().anyMatch(l -> l.endsWith(":memory:/jrun-test/" + id + "/sub")), cgroups.toString());
        assertTrue(Files.exists(sub));
    }

    @Test
    void twentyExecsAtOnce() throws Exception {
        String id = running();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Result>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            results.add(pool.submit(() -> jrun("exec", id, "sh", "-c", "echo exec-" + n + "; exit " + (n % 5))));
        }
        for (int i = 0; i < 20; i++) {
            Result r = results.get(i).get(120, TimeUnit.SECONDS);
            assertEquals(i % 5, r.status(), r.err());
            assertEquals("exec-" + i + "\n", r.out());
        }
        pool.shutdown();
        List<Object> pids = (List<Object>) Json.parseAll(jrun("ps", "--format", "json", id).ok().out()).get(0);
        assertEquals(1, pids.size(), "every exec'd process is gone: " + pids);
    }

    @Test
    void ttyThroughAConsoleSocketAndThroughJrunItself() throws Exception {
        String id = running();
        Path socket = work.resolve("console.sock");
        Path output = work.resolve("tty.out");
        Path script = Path.of(getClass().getResource("/recvtty.py").toURI());
        Process recv = new ProcessBuilder("python3", script.toString(), socket.toString(), output.toString())
                .redirectErrorStream(true).start();
        assertEquals("ready", new BufferedReader(new InputStreamReader(recv.getInputStream())).readLine());
        Path process = work.resolve("p.json");
        Files.writeString(process, "{\"terminal\":true,\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"/bin/jrun-probe\"],"
                + "\"cwd\":\"/\",\"env\":[\"PATH=/bin\"]}");
        jrun("exec", "--process", process.toString(), "--console-socket", socket.toString(), "--detach", id).ok();
        assertTrue(recv.waitFor(30, TimeUnit.SECONDS));
        Map<String, Object> p = TerminalTest.report(Files.readString(output));
        assertEquals(Boolean.TRUE, p.get("tty"));
        Result proxied = exec(null, List.of("script", "-qec", jrun + " --root " + root + " exec -t " + id
                + " /bin/jrun-probe", "/dev/null"), 60);
        assertEquals(Boolean.TRUE, TerminalTest.report(proxied.out()).get("tty"));
    }
}
