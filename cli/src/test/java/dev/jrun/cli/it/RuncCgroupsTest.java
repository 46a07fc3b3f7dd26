package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.LinuxCPU;
import dev.jrun.spec.model.LinuxDevice;
import dev.jrun.spec.model.LinuxDeviceCgroup;
import dev.jrun.spec.model.LinuxMemory;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.testbundles.Bundle;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * cgroup cases where jrun must do what runc 1.3 does, on this host's v1 controllers; their
 * cgroup v2 counterparts run in {@link CgroupV2GuestTest}.
 */
class RuncCgroupsTest extends ContainerTest {

    static Path v1(String controller, String cgroup, String file) {
        return Path.of("/sys/fs/cgroup", controller, "jrun-test", cgroup, file);
    }

    /**
     * `jrun update -r - ID` with this LinuxResources JSON on stdin; with --log, as containerd
     * calls it, so that stderr holds the bare error message.
     */
    Result updateJson(String id, String json) throws IOException, InterruptedException {
        File in = File.createTempFile("jrun-update", ".json");
        File log = File.createTempFile("jrun-update", ".log");
        try {
            Files.writeString(in.toPath(), json);
            ProcessBuilder pb = new ProcessBuilder(jrun.toString(), "--root", root.toString(), "--log", log.toString(),
                    "--log-format", "json", "update", "-r", "-", id).redirectInput(in);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new Result(p.exitValue(), out, err);
        } finally {
            in.delete();
            log.delete();
        }
    }

    // ------------------------------------------------------------------ 14: update --memory -1

    /** What a v1 memory limit file shows for "unlimited" (the largest page-aligned count). */
    static final String UNLIMITED = "9223372036854771712";

    @Test
    void liftingTheMemoryLimitLiftsTheSwapLimitToo() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.resources(r -> new LinuxResources(r.devices(),
                new LinuxMemory(64L << 20, null, 128L << 20, null, null, null, null, null, null), r.cpu(), r.pids(),
                r.blockIO(), r.hugepageLimits(), r.network(), r.rdma(), r.unified()))
                .args("/bin/jrun-probe", "sleep", "60"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        Path limit = v1("memory", id, "memory.limit_in_bytes");
        Path memsw = v1("memory", id, "memory.memsw.limit_in_bytes");
        assertEquals(Long.toString(64L << 20), Files.readString(limit).trim());
        assertEquals(Long.toString(128L << 20), Files.readString(memsw).trim());

        jrun("update", "--memory", "-1", id).ok();
        assertEquals(UNLIMITED, Files.readString(limit).trim());
        assertEquals(UNLIMITED, Files.readString(memsw).trim());

        jrun("update", "--memory", "64m", "--memory-swap", "128m", id).ok();
        assertEquals(Long.toString(128L << 20), Files.readString(memsw).trim());
        updateJson(id, "{\"memory\":{\"limit\":-1}}").ok();
        assertEquals(UNLIMITED, Files.readString(limit).trim(), "containerd's form");
        assertEquals(UNLIMITED, Files.readString(memsw).trim());
        // a later update starts from the stored result: unlimited both, not the old swap limit
        jrun("update", "--pids-limit", "50", id).ok();
        assertEquals(UNLIMITED, Files.readString(memsw).trim());
    }

    // ------------------------------------------------------------------ 18: unified on v1

    @Test
    void unifiedOnV1IsAnInvalidConfiguration() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.resources(r -> new LinuxResources(r.devices(), r.memory(), r.cpu(), r.pids(),
                r.blockIO(), r.hugepageLimits(), r.network(), r.rdma(), Map.of("pids.max", "10")))
                .args("/bin/true"));
        Result r = jrun("run", "-d", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status(), r.out() + r.err());
        assertEquals("invalid configuration: cannot use unified on cgroup v1\n", r.err());
        assertFalse(Files.exists(root.resolve(id)), "no container");
        assertFalse(Files.exists(v1("pids", id, "")), "no cgroup: refused before anything was made");

        String running = newId();
        Bundle rb = bundle(running, c -> c.pidsLimit(10).args("/bin/jrun-probe", "sleep", "60"));
        jrun("run", "-d", "--bundle", rb.dir().toString(), running).ok();
        Result u = updateJson(running, "{\"pids\":{\"limit\":20},\"unified\":{\"pids.max\":\"30\"}}");
        assertEquals(1, u.status(), u.out() + u.err());
        assertEquals("invalid configuration: cannot use unified on cgroup v1\n", u.err());
        assertEquals("10", Files.readString(v1("pids", running, "pids.max")).trim(), "nothing of the update was written");
    }

    // ------------------------------------------------------------------ 15: cpuset under an empty parent

    @Test
    void aCpusetCgroupUnderAnEmptyParentInheritsFromTheNearestAncestorThatHasCpus() throws Exception {
        String id = newId();
        String pinned = newId();
        String pod = "pod-" + id;
        Path cpusetRoot = Path.of("/sys/fs/cgroup/cpuset");
        String hostCpus = Files.readString(cpusetRoot.resolve("cpuset.cpus")).trim();
        String hostMems = Files.readString(cpusetRoot.resolve("cpuset.mems")).trim();
        List<Path> made = new java.util.ArrayList<>();
        try {
            // a pod's cgroup as another manager leaves it: no CPUs, no memory nodes
            Path podDir = makeCgroup(made, v1("cpuset", pod, ""));
            Files.writeString(podDir.resolve("cpuset.cpus"), "\n");
            Files.writeString(podDir.resolve("cpuset.mems"), "\n");
            assertEquals("", Files.readString(podDir.resolve("cpuset.cpus")).trim());

            Bundle b = bundle(id, c -> c.cgroupsPath("/jrun-test/" + pod + "/" + id).args("/bin/jrun-probe", "sleep", "60"));
            jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
            assertEquals(hostCpus, Files.readString(podDir.resolve("cpuset.cpus")).trim(), "filled in from above");
            assertEquals(hostMems, Files.readString(podDir.resolve("cpuset.mems")).trim());
            assertEquals(hostCpus, Files.readString(podDir.resolve(id).resolve("cpuset.cpus")).trim());
            assertEquals(hostMems, Files.readString(podDir.resolve(id).resolve("cpuset.mems")).trim());

            // the config's own CPUs win; what it leaves out is inherited
            String cpu = hostCpus.split("[-,]")[0];
            Bundle p = bundle(pinned, c -> c.cgroupsPath("/jrun-test/" + pod + "/" + pinned)
                    .resources(r -> new LinuxResources(r.devices(), r.memory(),
                            new LinuxCPU(null, null, null, null, null, null, cpu, null, null), r.pids(), r.blockIO(),
                            r.hugepageLimits(), r.network(), r.rdma(), r.unified()))
                    .args("/bin/sh", "-c", "grep Cpus_allowed_list /proc/self/status; cat /sys/fs/cgroup/cpuset/cpuset.mems"));
            Result r = jrun("run", "--bundle", p.dir().toString(), pinned).ok();
            assertEquals("Cpus_allowed_list:\t" + cpu + "\n" + hostMems + "\n", r.out());
            jrun("delete", "--force", id).ok();
        } finally {
            // create made the pod's level in every other hierarchy: ours to remove too
            try (java.util.stream.Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
                hierarchies.map(h -> h.resolve("jrun-test").resolve(pod))
                        .filter(d -> Files.isDirectory(d) && !made.contains(d)).forEach(made::add);
            }
            removeCgroups(made);
        }
    }

    // ------------------------------------------------------------------ 16: device access with "a"

    /** Opens /dev/fuse (c 10:229) for reading and for writing, and shows the cgroup's rule for it. */
    private String fuseAccess(String access) throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.addDevice(new LinuxDevice("/dev/fuse", "c", 10L, 229L, 0666L, 0L, 0L))
                .resources(r -> {
                    List<LinuxDeviceCgroup> rules = new java.util.ArrayList<>(r.devices());
                    rules.add(new LinuxDeviceCgroup(true, "c", 10L, 229L, access));
                    return new LinuxResources(rules, r.memory(), r.cpu(), r.pids(), r.blockIO(), r.hugepageLimits(),
                            r.network(), r.rdma(), r.unified());
                })
                .args("/bin/sh", "-c", "true </dev/fuse && echo read-allowed; true >/dev/fuse && echo write-allowed;"
                        + " grep '^c 10:229 ' /sys/fs/cgroup/devices/devices.list"));
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        assertEquals("", r.err().replaceAll("(?m)^.*/dev/fuse: Operation not permitted\n", ""),
                "valid, and without warnings");
        return r.out();
    }

    @Test
    void anAAmongTheAccessLettersIsAcceptedAndAddsNothing() throws Exception {
        assertEquals("read-allowed\nwrite-allowed\nc 10:229 rw\n", fuseAccess("rwa"));
        assertEquals("read-allowed\nc 10:229 r\n", fuseAccess("ar"), "not a shorthand for all");
        assertEquals("read-allowed\nwrite-allowed\nc 10:229 rwm\n", fuseAccess("amwr"));
    }

    // ------------------------------------------------------------------ 17: a cgroup already in use

    /** Makes a cgroup directory of this test's own, to be removed by {@link #removeCgroups}. */
    private Path makeCgroup(List<Path> made, Path dir) throws IOException {
        Files.createDirectories(dir);
        made.add(dir);
        return dir;
    }

    /** Deepest first; a cgroup lingers busy for a moment after its last process left. */
    private static void removeCgroups(List<Path> made) throws InterruptedException {
        for (int i = made.size() - 1; i >= 0; i--) {
            for (int attempt = 0; attempt < 100 && Files.exists(made.get(i)); attempt++) {
                try {
                    Files.delete(made.get(i));
                } catch (IOException e) {
                    Thread.sleep(20);
                }
            }
        }
    }

    @Test
    void aCgroupWithAProcessInAnyHierarchyIsRefusedAndKept() throws Exception {
        String id = newId();
        List<Path> made = new java.util.ArrayList<>();
        // another's process, in the memory hierarchy only (runc itself looks at one hierarchy)
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            Path memory = makeCgroup(made, v1("memory", id, ""));
            Files.writeString(memory.resolve("cgroup.procs"), Long.toString(other.pid()));
            Bundle b = bundle(id, c -> c.args("/bin/true"));
            Result r = jrun("run", "-d", "--bundle", b.dir().toString(), id);
            assertEquals(1, r.status(), r.out() + r.err());
            assertEquals("container's cgroup is not empty: 1 process(es) found\n", r.err());
            assertFalse(Files.exists(root.resolve(id)), "no container");
            assertFalse(Files.exists(v1("pids", id, "")), "no cgroup made in the other hierarchies");
            jrun("delete", "--force", id);
            assertTrue(other.isAlive(), "the process in it was left alone");
            assertEquals(Long.toString(other.pid()), Files.readString(memory.resolve("cgroup.procs")).trim(),
                    "the cgroup is as it was");
        } finally {
            other.destroyForcibly().waitFor();
            removeCgroups(made);
        }
    }

    @Test
    void aFrozenCgroupIsRefusedAtOnce() throws Exception {
        String id = newId();
        String child = newId();
        List<Path> made = new java.util.ArrayList<>();
        try {
            Path freezer = makeCgroup(made, v1("freezer", id, ""));
            Files.writeString(freezer.resolve("freezer.state"), "FROZEN");
            Bundle b = bundle(id, c -> c.args("/bin/true"));
            long t0 = System.nanoTime();
            Result r = jrun("run", "-d", "--bundle", b.dir().toString(), id);
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertEquals(1, r.status(), r.out() + r.err());
            assertEquals("container's cgroup unexpectedly frozen\n", r.err());
            assertTrue(seconds < 20, "refused at once, not after a wait: " + seconds + " s");
            assertFalse(Files.exists(root.resolve(id)), "no container");
            jrun("delete", "--force", id);
            assertTrue(Files.isDirectory(freezer), "the frozen cgroup is left to its owner");
            assertEquals("FROZEN", Files.readString(freezer.resolve("freezer.state")).trim());

            // a new cgroup under a frozen one would be born frozen: runc would wait forever there
            Bundle nested = bundle(child, c -> c.cgroupsPath("/jrun-test/" + id + "/" + child).args("/bin/true"));
            Result n = jrun("run", "-d", "--bundle", nested.dir().toString(), child);
            assertEquals(1, n.status(), n.out() + n.err());
            assertEquals("container's cgroup unexpectedly frozen\n", n.err());
            assertFalse(Files.exists(freezer.resolve(child)), "nothing made under it");
        } finally {
            if (!made.isEmpty() && Files.exists(made.get(0))) {
                Files.writeString(made.get(0).resolve("freezer.state"), "THAWED");
            }
            removeCgroups(made);
        }
    }
}
