package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.LinuxCPU;
import dev.jrun.spec.model.LinuxDevice;
import dev.jrun.spec.model.LinuxHugepageLimit;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.testbundles.Bundle;
import dev.jrun.testbundles.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Limits the kernel really enforces, on this host's cgroup driver (v1 controllers on the
 * legacy/hybrid machines these tests run on), plus pause/resume, update, ps and events.
 */
class CgroupsTest extends ContainerTest {

    static Path v1(String controller, String id, String file) {
        return Path.of("/sys/fs/cgroup", controller, "jrun-test", id, file);
    }

    static void assumeV1() throws Exception {
        assertTrue(Files.exists(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"))
                || Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")), "a cgroup filesystem is mounted");
    }

    /**
     * runtime.md: delete removes what create made, so the parents of a nested cgroupsPath that
     * create made go with the container (runc leaves them), and so do a failed create's.
     */
    @Test
    void theParentsACreateMadeGoWithTheContainer() throws Exception {
        assumeV1();
        String id = newId();
        Path parent = Path.of("/sys/fs/cgroup/memory/jrun-test", "made-" + id);
        Bundle b = bundle(id, c -> c.cgroupsPath("/jrun-test/made-" + id + "/inner/" + id)
                .args("/bin/jrun-probe", "sleep", "60"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        assertTrue(Files.isDirectory(parent.resolve("inner").resolve(id)), "the container's cgroup");
        jrun("delete", "--force", id).ok();
        assertFalse(Files.exists(parent), "the parents create made are gone");
        assertTrue(Files.isDirectory(parent.getParent()), "the one that was there stays");

        String failed = newId();
        Path failedParent = Path.of("/sys/fs/cgroup/memory/jrun-test", "made-" + failed);
        Bundle bad = bundle(failed, c -> c.cgroupsPath("/jrun-test/made-" + failed + "/inner/" + failed)
                .args("/no/such/command"));
        assertEquals(1, jrun("create", "--bundle", bad.dir().toString(), failed).status());
        assertFalse(Files.exists(failedParent), "a failed create leaves no parent behind");
    }

    @Test
    void memoryLimitOomKillsAnAllocatingProcess() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.memoryLimit(16L << 20).args("/bin/jrun-probe", "alloc", "64"));
        Result r = jrun("run", "--keep", "--bundle", b.dir().toString(), id);
        assertEquals(137, r.status(), "killed by SIGKILL: " + r.out() + r.err());
        assertEquals(Long.toString(16L << 20), Files.readString(v1("memory", id, "memory.limit_in_bytes")).trim());
        String oom = Files.readString(v1("memory", id, "memory.oom_control"));
        assertTrue(oom.matches("(?s).*oom_kill [1-9].*"), oom);
        jrun("delete", id).ok();
    }

    @Test
    void jrunInitFitsInTwoMebibytes() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.memoryLimit(2L << 20).args("/bin/true"));
        jrun("run", "--bundle", b.dir().toString(), id).ok();
        String tiny = newId();
        Bundle t = bundle(tiny, c -> c.memoryLimit(128L << 10).args("/bin/true"));
        Result r = jrun("run", "--bundle", t.dir().toString(), tiny);
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("jrun-init was killed by signal 9"), r.err());
        assertFalse(Files.exists(root.resolve(tiny)));
    }

    @Test
    void pidsLimitMakesForkFail() throws Exception {
        Map<String, Object> p = probe(c -> c.pidsLimit(10), "fork", "20");
        long forked = number(p.get("forked"));
        assertTrue(forked >= 5 && forked <= 9, "forked " + forked);
        assertEquals("EAGAIN", p.get("errno"));
    }

    @Test
    void cpuQuotaThrottles() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.resources(r -> new LinuxResources(r.devices(), r.memory(),
                new LinuxCPU(null, 20000L, null, 100000L, null, null, null, null, null), r.pids(), r.blockIO(),
                r.hugepageLimits(), r.network(), r.rdma(), r.unified()))
                .args("/bin/sh", "-c", "/bin/jrun-probe spin 1.5 >/dev/null; cat /sys/fs/cgroup/cpu/cpu.stat"));
        Result r = jrun("run", "--bundle", b.dir().toString(), id).ok();
        long throttled = 0;
        for (String line : r.out().split("\n")) {
            if (line.startsWith("nr_throttled ")) {
                throttled = Long.parseLong(line.substring(13).trim());
            }
        }
        assertTrue(throttled > 0, r.out());
    }

    @Test
    void devicesCgroupDeniesWhatIsNotAllowed() throws Exception {
        // the default config denies every device but runc's default list; /dev/fuse is not on it
        Map<String, Object> denied = probe(c -> c.addDevice(new LinuxDevice("/dev/fuse", "c", 10L, 229L, 0666L, 0L, 0L)),
                "read", "/dev/fuse");
        assertEquals("EPERM", denied.get("errno"));
        Map<String, Object> allowed = probe(c -> { }, "read", "/dev/zero");
        assertEquals(Boolean.TRUE, allowed.get("ok"), allowed.toString());
    }

    @Test
    void pauseFreezesAndResumeThaws() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "60"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        long pid = number(jrun("state", id).ok().json().get("pid"));
        jrun("pause", id).ok();
        assertStatus("paused", jrun("state", id));
        assertEquals("FROZEN", Files.readString(v1("freezer", id, "freezer.state")).trim());
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        assertTrue(state == 'D' || state == 'T', "frozen processes sleep uninterruptibly: " + state);
        Result again = jrun("pause", id);
        assertEquals(1, again.status());
        assertEquals("container not running\n", again.err());
        jrun("resume", id).ok();
        assertStatus("running", jrun("state", id));
        Result notPaused = jrun("resume", id);
        assertEquals("container not paused\n", notPaused.err());
        // a paused container can still be killed: jrun thaws it for SIGKILL
        jrun("pause", id).ok();
        jrun("kill", "--all", id, "KILL").ok();
        for (int i = 0; i < 200 && !"stopped".equals(jrun("state", id).json().get("status")); i++) {
            Thread.sleep(10);
        }
        assertStatus("stopped", jrun("state", id));
    }

    @Test
    void updateChangesLimitsLive() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.pidsLimit(10).memoryLimit(64L << 20).args("/bin/jrun-probe", "sleep", "60"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        assertEquals("10", Files.readString(v1("pids", id, "pids.max")).trim());
        jrun("update", "--pids-limit", "50", "--memory", "128m", id).ok();
        assertEquals("50", Files.readString(v1("pids", id, "pids.max")).trim());
        assertEquals(Long.toString(128L << 20), Files.readString(v1("memory", id, "memory.limit_in_bytes")).trim());
        // containerd's form: LinuxResources JSON on stdin
        ProcessBuilder pb = new ProcessBuilder(jrun.toString(), "--root", root.toString(), "update", "-r", "-", id);
        Process p = pb.redirectErrorStream(true).start();
        p.getOutputStream().write("{\"pids\":{\"limit\":77},\"cpu\":{\"shares\":512}}".getBytes());
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        assertEquals("77", Files.readString(v1("pids", id, "pids.max")).trim());
        assertEquals("512", Files.readString(v1("cpu", id, "cpu.shares")).trim());
        assertEquals(Long.toString(128L << 20), Files.readString(v1("memory", id, "memory.limit_in_bytes")).trim(),
                "what the update leaves out keeps its value");
        Result bad = jrun("update", "--cpu-share", "1", id);
        assertEquals(1, bad.status());
        assertTrue(bad.err().contains("cpu.shares"), bad.err());
    }

    @Test
    void psListsTheContainersProcesses() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/sh", "-c", "sleep 60 & exec sleep 61"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        long pid = number(jrun("state", id).ok().json().get("pid"));
        List<Object> pids = null;
        for (int i = 0; i < 100; i++) {
            pids = Json.parseAll(jrun("ps", "--format", "json", id).ok().out());
            pids = (List<Object>) pids.get(0);
            if (pids.size() == 2) {
                break;
            }
            Thread.sleep(10);
        }
        assertEquals(2, pids.size(), pids.toString());
        assertTrue(pids.stream().anyMatch(o -> number(o) == pid));
        Result table = jrun("ps", id).ok();
        String[] lines = table.out().split("\n");
        assertTrue(lines[0].contains("PID"), table.out());
        assertEquals(3, lines.length, table.out());
        Result custom = jrun("ps", id, "-o", "pid,comm").ok();
        assertTrue(custom.out().contains("sleep"), custom.out());
    }

    @Test
    void eventsReportStatsAndOom() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.memoryLimit(32L << 20).pidsLimit(20).args("/bin/jrun-probe", "sleep", "60"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        Map<String, Object> stats = jrun("events", "--stats", id).ok().json();
        assertEquals("stats", stats.get("type"));
        assertEquals(id, stats.get("id"));
        assertEquals(20L, number(get(stats, "data", "pids", "limit")));
        assertTrue(number(get(stats, "data", "pids", "current")) >= 1);
        assertTrue(number(get(stats, "data", "memory", "usage", "usage")) > 0);
        assertEquals(32L << 20, number(get(stats, "data", "memory", "usage", "limit")));
        assertTrue(number(get(stats, "data", "cpu", "usage", "total")) > 0);

        String oomId = newId();
        Bundle ob = bundle(oomId, c -> c.memoryLimit(16L << 20)
                .args("/bin/sh", "-c", "sleep 1; /bin/jrun-probe alloc 64; sleep 5"));
        jrun("run", "-d", "--bundle", ob.dir().toString(), oomId).ok();
        Process events = new ProcessBuilder(jrun.toString(), "--root", root.toString(), "events", "--interval", "10s",
                oomId).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(events.getInputStream()));
        boolean sawOom = false;
        boolean sawStats = false;
        for (String line; (line = lines.readLine()) != null; ) {
            Map<String, Object> e = Json.parseObject(line);
            sawStats |= "stats".equals(e.get("type"));
            if ("oom".equals(e.get("type"))) {
                assertEquals(oomId, e.get("id"));
                sawOom = true;
                break;
            }
        }
        events.destroy();
        assertTrue(sawStats, "stats come first, then every interval");
        assertTrue(sawOom, "the OOM kill was reported");
    }

    @Test
    void aLimitTheHostCannotEnforceIsAnError() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isDirectory(Path.of("/sys/fs/cgroup/hugetlb")),
                "this host enforces hugetlb through v1");
        String id = newId();
        Bundle b = bundle(id, c -> c.resources(r -> new LinuxResources(r.devices(), r.memory(), r.cpu(), r.pids(),
                r.blockIO(), List.of(new LinuxHugepageLimit("2MB", 1L << 21)), r.network(), r.rdma(), r.unified())));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status());
        assertEquals("cgroup controller hugetlb is not mounted on this host; linux.resources.hugepageLimits[0] needs it\n",
                r.err());
        assertFalse(Files.exists(root.resolve(id)));
        assertFalse(Files.exists(v1("memory", id, "")), "the cgroup was removed again");
    }
}
