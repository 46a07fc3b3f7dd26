package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.testbundles.Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** create, start, state, list, kill, delete and run, as runc users and containerd drive them. */
class LifecycleTest extends ContainerTest {

    private void awaitStatus(String id, String status) throws Exception {
        for (int i = 0; i < 200; i++) {
            Result r = jrun("state", id);
            if (r.status() == 0 && status.equals(r.json().get("status"))) {
                return;
            }
            Thread.sleep(25);
        }
        assertStatus(status, jrun("state", id));
    }

    @Test
    void createStartKillDelete() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "60", "--trap"));
        Path pidFile = work.resolve("init.pid");
        jrun("create", "--bundle", b.dir().toString(), "--pid-file", pidFile.toString(), id).ok();

        Result created = jrun("state", id).ok();
        Map<String, Object> state = created.json();
        assertEquals("created", state.get("status"));
        assertEquals("1.3.0", state.get("ociVersion"));
        assertEquals(id, state.get("id"));
        assertEquals(b.dir().toString(), state.get("bundle"));
        assertEquals(b.dir().resolve("rootfs").toString(), state.get("rootfs"));
        long pid = number(state.get("pid"));
        assertEquals(Long.toString(pid), Files.readString(pidFile), "the pid file holds the host pid in decimal");
        // until start, the init is still our sealed executor, not anything from the rootfs
        assertEquals("/memfd:jrun-init (deleted)", Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString());
        Path cgroup = Path.of("/sys/fs/cgroup/memory/jrun-test", id);
        assertTrue(Files.readString(cgroup.resolve("cgroup.procs")).contains(Long.toString(pid)),
                "the init is in the cgroup the config names");

        jrun("start", id).ok();
        awaitStatus(id, "running");
        Result listed = jrun("list", "--format", "json").ok();
        assertTrue(listed.out().contains("\"id\":\"" + id + "\""), listed.out());
        assertTrue(jrun("list").ok().out().contains(id + " "), "the table lists it");

        jrun("kill", id).ok(); // SIGTERM by default
        awaitStatus(id, "stopped");
        assertEquals(0L, number(jrun("state", id).ok().json().get("pid")), "runc shows pid 0 when stopped");

        jrun("delete", id).ok();
        Result gone = jrun("state", id);
        assertEquals(1, gone.status());
        assertEquals("container \"" + id + "\" does not exist\n", gone.err());
        assertFalse(Files.exists(cgroup), "delete removes the cgroup");
        assertFalse(Files.exists(root.resolve(id)), "delete removes the state");
    }

    @Test
    void startOnlyWhenCreated() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "exit", "0"));
        jrun("create", "--bundle", b.dir().toString(), id).ok();
        jrun("start", id).ok();
        awaitStatus(id, "stopped");
        Result again = jrun("start", id);
        assertEquals(1, again.status());
        assertEquals("cannot start a container that has stopped\n", again.err());
        Result kill = jrun("kill", id, "KILL");
        assertEquals(1, kill.status());
        assertEquals("container not running\n", kill.err());
    }

    @Test
    void createDefaultsToTheCurrentDirectoryAsBundle() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "exit", "0"));
        jrunIn(b.dir(), "create", id).ok();
        assertEquals(b.dir().toString(), jrun("state", id).ok().json().get("bundle"));
        Result dup = jrunIn(b.dir(), "create", id);
        assertEquals(1, dup.status());
        assertEquals("container with id exists: " + id + "\n", dup.err());
    }

    @Test
    void runReturnsTheExitStatus() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "exit", "7"));
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        assertEquals(7, r.status(), r.err());
        assertEquals(7L, number(r.json().get("exit")));
        assertFalse(Files.exists(root.resolve(id)), "run deletes the container afterwards");
    }

    @Test
    void runOfAKilledProcessIs128PlusSignal() throws Exception {
        String id = newId();
        // the init of a pid namespace cannot be SIGKILLed from inside it, so share the host's
        Bundle b = bundle(id, c -> c.removeNamespace("pid").args("/bin/sh", "-c", "kill -9 $$"));
        assertEquals(137, jrun("run", "--bundle", b.dir().toString(), id).status());
    }

    @Test
    void runKeepLeavesTheStoppedContainer() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "exit", "3"));
        assertEquals(3, jrun("run", "--keep", "--bundle", b.dir().toString(), id).status());
        assertStatus("stopped", jrun("state", id).ok());
        jrun("delete", id).ok();
    }

    @Test
    void runDetachedReturnsAtOnce() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "60"));
        Path pidFile = work.resolve("pid");
        jrun("run", "-d", "--pid-file", pidFile.toString(), "--bundle", b.dir().toString(), id).ok();
        assertStatus("running", jrun("state", id).ok());
        jrun("kill", id, "SIGKILL").ok();
        awaitStatus(id, "stopped");
        jrun("delete", id).ok();
    }

    @Test
    void deleteRefusesARunningContainerUnlessForced() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "60"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        Result refused = jrun("delete", id);
        assertEquals(1, refused.status());
        assertEquals("cannot delete container " + id + " that is not stopped: running\n", refused.err());
        long pid = number(jrun("state", id).ok().json().get("pid"));
        jrun("delete", "--force", id).ok();
        assertTrue(gone(pid), "the init was killed");
        assertEquals(0, jrun("delete", "--force", id).status(), "a second delete --force succeeds");
    }

    /** runtime.md#delete: a container that is not stopped, a created one too, is deleted only by force. */
    @Test
    void aCreatedContainerIsDeletedOnlyByForce() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "exit", "0"));
        jrun("create", "--bundle", b.dir().toString(), id).ok();
        long pid = number(jrun("state", id).ok().json().get("pid"));
        Result refused = jrun("delete", id);
        assertEquals(1, refused.status());
        assertEquals("cannot delete container " + id + " that is not stopped: created\n", refused.err());
        assertStatus("created", jrun("state", id));
        assertFalse(gone(pid), "the refused delete left the init alone");
        jrun("delete", "--force", id).ok();
        assertTrue(gone(pid), "the init was killed");
    }

    /** Dead, or a zombie its new parent (not us) has yet to reap. */
    static boolean gone(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        try {
            String s = Files.readString(stat);
            return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
    }

    @Test
    void killAllReachesEveryProcessOfTheCgroup() throws Exception {
        String id = newId();
        // no pid namespace: killing the init alone would leave the background sleep behind
        Bundle b = bundle(id, c -> c.removeNamespace("pid").args("/bin/sh", "-c", "sleep 300 & exec sleep 301"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        Path procs = Path.of("/sys/fs/cgroup/pids/jrun-test", id, "cgroup.procs");
        for (int i = 0; i < 100 && Files.readAllLines(procs).size() < 2; i++) {
            Thread.sleep(10);
        }
        assertEquals(2, Files.readAllLines(procs).size(), "init and its background child");
        jrun("kill", "--all", id, "9").ok();
        for (int i = 0; i < 200 && !Files.readAllLines(procs).isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), Files.readAllLines(procs));
        awaitStatus(id, "stopped");
    }

    @Test
    void signalsSentToRunReachTheContainer() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "60", "--trap"));
        ProcessBuilder pb = new ProcessBuilder(jrun.toString(), "--root", root.toString(), "run", "--bundle",
                b.dir().toString(), id).redirectErrorStream(true);
        Process p = pb.start();
        for (int i = 0; i < 300; i++) {
            Result r = jrun("state", id);
            if (r.status() == 0 && "running".equals(r.json().get("status"))) {
                break;
            }
            Thread.sleep(20);
        }
        p.toHandle().destroy(); // SIGTERM to jrun, which forwards it
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(128 + 15, p.exitValue(), out);
        assertTrue(out.contains("{\"signal\":15}"), out);
    }

    @Test
    void failedCreateLeavesNothingBehind() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.addMount("/x", "bogusfs", "none"));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status());
        assertEquals("mount /x on " + b.dir().resolve("rootfs") + "/x: no such device\n", r.err());
        assertFalse(Files.exists(root.resolve(id)), "no state directory");
        for (String controller : List.of("memory", "pids", "cpu", "freezer", "systemd", "unified")) {
            assertFalse(Files.exists(Path.of("/sys/fs/cgroup", controller, "jrun-test", id)), controller + " cgroup");
        }
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertFalse(mounts.contains(b.dir().toString()), "no mount left on the host");
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(id));
    }

    @Test
    void failedCreateNamesTheMissingBinaryAsRuncDoes() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("no-such-binary"));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status());
        assertEquals("exec: \"no-such-binary\": executable file not found in $PATH\n", r.err());
        assertFalse(Files.exists(root.resolve(id)));
    }

    @Test
    void logFileGetsJsonErrorLines() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("no-such-binary"));
        Path log = work.resolve("log.json");
        jrun("--log", log.toString(), "--log-format", "json", "create", "--bundle", b.dir().toString(), id);
        String line = Files.readString(log).trim();
        assertTrue(line.startsWith("{\"level\":\"error\",\"msg\":\"exec: \\\"no-such-binary\\\": executable file not found"),
                line);
    }
}
