package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.Hook;
import dev.jrun.testbundles.Bundle;
import dev.jrun.testbundles.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The six hooks: when and where each runs, what it reads on stdin, and what its failure does. */
class HooksTest extends ContainerTest {

    /** A shell hook that records its name, stdin, mount namespace and argv into dir. */
    static Hook recorder(String name, Path dir, Long timeout) {
        String script = "echo " + name + " >> " + dir + "/order; cat > " + dir + "/" + name + ".json; "
                + "readlink /proc/self/ns/mnt > " + dir + "/" + name + ".mnt; "
                + "tr '\\0' ' ' < /proc/$$/cmdline > " + dir + "/" + name + ".argv; "
                + "echo \"$HOOKVAR\" > " + dir + "/" + name + ".env";
        // busybox (the container's /bin/sh) dispatches on argv[0], so hooks run in the container keep "sh"
        String argv0 = name.equals("startContainer") ? "sh" : "hook-" + name;
        return new Hook("/bin/sh", List.of(argv0, "-c", script), List.of("HOOKVAR=" + name + "-env"), timeout);
    }

    @Test
    void everyHookRunsInOrderWithTheStateOnStdin() throws Exception {
        String id = newId();
        Path log = Files.createDirectories(work.resolve("hooklog"));
        // startContainer resolves and runs inside the container: it sees the log dir through a bind
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "exit", "0")
                .bindMount(log.toString(), log.toString(), "bind")
                .addHook("prestart", recorder("prestart", log, null))
                .addHook("createRuntime", recorder("createRuntime", log, null))
                .addHook("createContainer", recorder("createContainer", log, 10L))
                .addHook("startContainer", recorder("startContainer", log, null))
                .addHook("poststart", recorder("poststart", log, null))
                .addHook("poststop", recorder("poststop", log, null)));
        jrun("create", "--bundle", b.dir().toString(), id).ok();
        long pid = number(jrun("state", id).ok().json().get("pid"));
        assertEquals(List.of("prestart", "createRuntime", "createContainer"), Files.readAllLines(log.resolve("order")));
        jrun("start", id).ok();
        for (int i = 0; i < 200 && !"stopped".equals(jrun("state", id).json().get("status")); i++) {
            Thread.sleep(20);
        }
        jrun("delete", id).ok();
        assertEquals(List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"),
                Files.readAllLines(log.resolve("order")));

        Map<String, Object> prestart = Json.parseObject(Files.readString(log.resolve("prestart.json")));
        assertEquals("creating", prestart.get("status"));
        assertEquals(id, prestart.get("id"));
        assertEquals(pid, number(prestart.get("pid")), "the host pid of the container process");
        assertEquals(b.dir().toString(), prestart.get("bundle"));
        assertEquals("running", Json.parseObject(Files.readString(log.resolve("poststart.json"))).get("status"));
        assertEquals("stopped", Json.parseObject(Files.readString(log.resolve("poststop.json"))).get("status"));

        String hostMnt = hostNamespace("mnt");
        assertEquals(hostMnt, Files.readString(log.resolve("prestart.mnt")).trim(), "prestart runs in the runtime's namespace");
        assertEquals(hostMnt, Files.readString(log.resolve("createRuntime.mnt")).trim());
        assertNotEquals(hostMnt, Files.readString(log.resolve("createContainer.mnt")).trim(),
                "createContainer runs in the container's mount namespace");
        assertNotEquals(hostMnt, Files.readString(log.resolve("startContainer.mnt")).trim());
        assertTrue(Files.readString(log.resolve("prestart.argv")).startsWith("hook-prestart -c "),
                "argv[0] is the hook's own (dockerd dispatches on it)");
        assertEquals("prestart-env", Files.readString(log.resolve("prestart.env")).trim());
        assertEquals("createContainer-env", Files.readString(log.resolve("createContainer.env")).trim());
    }

    @Test
    void aFailingPrestartHookFailsCreateAndCleansUp() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.addHook("prestart",
                new Hook("/bin/sh", List.of("sh", "-c", "echo out; echo broken >&2; exit 3"), null, null)));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status());
        assertEquals("error running prestart hook #0: exit status 3, stdout: out, stderr: broken\n", r.err());
        assertFalse(Files.exists(root.resolve(id)));
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/memory/jrun-test", id)));
    }

    @Test
    void aHookThatOutlivesItsTimeoutIsKilled() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.addHook("createRuntime",
                new Hook("/bin/sh", List.of("sh", "-c", "sleep 30"), null, 1L)));
        long start = System.nanoTime();
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(1, r.status());
        assertEquals("error running createRuntime hook #0: hook ran past specified timeout of 1.0s\n", r.err());
        assertTrue(seconds < 10, "took " + seconds + "s");
        assertFalse(Files.exists(root.resolve(id)));
    }

    @Test
    void aFailingCreateContainerHookFailsCreate() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.addHook("createContainer",
                new Hook("/bin/false", null, null, null)));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status());
        assertEquals("error running createContainer hook #0: exit status 1, stdout: , stderr: \n", r.err());
        assertFalse(Files.exists(root.resolve(id)));
    }

    /**
     * The hooks jrun runs itself and those jrun-init runs in the container report failures in
     * the same words: here the same failing hook as prestart (the parent), as createContainer
     * (jrun-init, reporting to the parent) and as startContainer (jrun-init, after create
     * returned, on the container's stderr).
     */
    @Test
    void everyRunnerReportsTheSameFailureTheSameWay() throws Exception {
        Hook failing = new Hook("/bin/sh", List.of("sh", "-c", "echo out; echo err >&2; exit 4"), null, null);
        Hook slow = new Hook("/bin/sh", List.of("sh", "-c", "sleep 30"), null, 1L);
        for (Hook hook : List.of(failing, slow)) {
            String expected = hook == failing ? "exit status 4, stdout: out, stderr: err"
                    : "hook ran past specified timeout of 1.0s";
            for (String kind : List.of("prestart", "createContainer")) {
                String id = newId();
                Bundle b = bundle(id, c -> c.addHook(kind, hook));
                Result r = jrun("create", "--bundle", b.dir().toString(), id);
                assertEquals("error running " + kind + " hook #0: " + expected + "\n", r.err());
            }
            String id = newId();
            Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "exit", "0").addHook("startContainer", hook));
            Result r = jrun("run", "--bundle", b.dir().toString(), id);
            assertEquals(1, r.status(), "the container's process never runs");
            assertTrue(r.err().contains("error running startContainer hook #0: " + expected + "\n"), r.err());
        }
    }

    /** runtime.md 1.3 lifecycle step 9, as runc 1.2+: a failed poststart hook fails start and stops the container. */
    @Test
    void aFailedPoststartHookStopsTheContainer() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "30")
                .addHook("poststart", new Hook("/bin/false", null, null, null)));
        jrun("create", "--bundle", b.dir().toString(), id).ok();
        long pid = number(jrun("state", id).ok().json().get("pid"));
        Result started = jrun("start", id);
        assertEquals(1, started.status());
        assertEquals("error running poststart hook #0: exit status 1, stdout: , stderr: \n", started.err());
        assertStatus("stopped", jrun("state", id));
        assertTrue(LifecycleTest.gone(pid), "the init was killed");
        jrun("delete", id).ok();
        assertFalse(Files.exists(root.resolve(id)));
    }

    /** runtime.md: poststart hooks run after the user-specified process is executed, not merely released. */
    @Test
    void poststartHooksRunOnceTheProgramIsExecuted() throws Exception {
        String id = newId();
        Path seen = work.resolve("exe-seen");
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "30").addHook("poststart", new Hook("/bin/sh",
                List.of("sh", "-c", "pid=$(sed 's/.*\"pid\":\\([0-9]*\\).*/\\1/'); readlink /proc/$pid/exe > " + seen),
                List.of("PATH=/usr/bin:/bin"), null)));
        jrun("create", "--bundle", b.dir().toString(), id).ok();
        jrun("start", id).ok();
        String exe = Files.readString(seen).trim();
        assertTrue(exe.endsWith("/bin/jrun-probe"), "the hook saw the program, not jrun-init: " + exe);
        jrun("delete", "--force", id).ok();
    }

    @Test
    void poststopFailuresAreWarnings() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "30")
                .addHook("poststop", new Hook("/nonexistent/hook", null, null, null)));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        Result deleted = jrun("delete", "--force", id).ok();
        assertTrue(deleted.log().contains("error running poststop hook #0: fork/exec /nonexistent/hook: "
                + "no such file or directory"), deleted.log());
        assertFalse(Files.exists(root.resolve(id)));
    }
}
