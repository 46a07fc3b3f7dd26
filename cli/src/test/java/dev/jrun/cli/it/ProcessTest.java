package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.LinuxCapabilities;
import dev.jrun.spec.model.LinuxPersonality;
import dev.jrun.spec.model.Scheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The process section: identity, environment, capabilities, limits and scheduling. */
class ProcessTest extends ContainerTest {

    @Test
    void argsEnvAndCwd() throws Exception {
        Map<String, Object> p = probe(c -> c.env("PATH=/bin", "FOO=bar baz").cwd("/tmp"), "info", "extra-arg");
        assertEquals(List.of("/bin/jrun-probe", "info", "extra-arg"), p.get("args"));
        assertEquals(List.of("PATH=/bin", "FOO=bar baz", "HOME=/root"), p.get("env"),
                "HOME comes from /etc/passwd when the config has none, as runc does");
        assertEquals("/tmp", p.get("cwd"));
    }

    @Test
    void userGroupsAndUmask() throws Exception {
        Map<String, Object> p = probe(c -> c.user(1000, 1000, 2000, 5).umask(027L).cwd("/home/probe"));
        assertEquals(1000L, number(p.get("uid")));
        assertEquals(1000L, number(p.get("euid")));
        assertEquals(1000L, number(p.get("suid")));
        assertEquals(1000L, number(p.get("gid")));
        assertEquals(java.util.Set.of(2000L, 5L), ((List<?>) p.get("groups")).stream().map(o -> number(o))
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals(027L, number(p.get("umask")));
        assertTrue(((List<?>) p.get("env")).contains("HOME=/home/probe"));
    }

    @Test
    void defaultUmaskIs0022() throws Exception {
        assertEquals(022L, number(probe(c -> c.umask(null)).get("umask")));
    }

    @Test
    void allFiveCapabilitySets() throws Exception {
        // CAP_CHOWN=0, CAP_KILL=5, CAP_NET_BIND_SERVICE=10, CAP_SYS_ADMIN=21
        Map<String, Object> p = probe(c -> c.noNewPrivileges(false).capabilities(new LinuxCapabilities(
                List.of("CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN"),
                List.of("CAP_CHOWN", "CAP_KILL"),
                List.of("CAP_NET_BIND_SERVICE"),
                List.of("CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"),
                List.of("CAP_NET_BIND_SERVICE"))).user(1000, 1000));
        assertEquals("0000000000200421", get(p, "caps", "bounding"));
        assertEquals("0000000000000400", get(p, "caps", "inheritable"));
        assertEquals("0000000000000400", get(p, "caps", "ambient"));
        // execve as non-root keeps only the ambient set in permitted and effective
        assertEquals("0000000000000400", get(p, "caps", "permitted"));
        assertEquals("0000000000000400", get(p, "caps", "effective"));
    }

    @Test
    void unknownCapabilitiesAreAWarningNotAFailure() throws Exception {
        String id = newId();
        var b = bundle(id, c -> c.capabilities("CAP_CHOWN", "CAP_MADE_UP"));
        Result r = jrun("run", "--bundle", b.dir().toString(), id).ok();
        assertTrue(r.log().contains("CAP_MADE_UP"), r.log());
        assertEquals("0000000000000001", get(r.json(), "caps", "effective"));
    }

    @Test
    void noNewPrivileges() throws Exception {
        assertEquals(1L, number(probe(c -> c.noNewPrivileges(true)).get("no_new_privs")));
        assertEquals(0L, number(probe(c -> c.noNewPrivileges(false)).get("no_new_privs")));
    }

    @Test
    void rlimits() throws Exception {
        Map<String, Object> p = probe(c -> c.rlimit("RLIMIT_NOFILE", 256, 512).rlimit("RLIMIT_CORE", 0, 0)
                .rlimit("RLIMIT_NPROC", 100, 200));
        assertEquals(256L, number(get(p, "rlimits", "RLIMIT_NOFILE", "soft")));
        assertEquals(512L, number(get(p, "rlimits", "RLIMIT_NOFILE", "hard")));
        assertEquals(0L, number(get(p, "rlimits", "RLIMIT_CORE", "hard")));
        assertEquals(200L, number(get(p, "rlimits", "RLIMIT_NPROC", "hard")));
    }

    @Test
    void oomScoreAdj() throws Exception {
        assertEquals(500L, number(probe(c -> c.oomScoreAdj(500L)).get("oom_score_adj")));
    }

    @Test
    void sysctlsInTheContainersNamespaces() throws Exception {
        Map<String, Object> p = probe(c -> c.sysctl("net.ipv4.ip_forward", "1").sysctl("kernel.msgmax", "12345"),
                "info", "--sysctl", "net.ipv4.ip_forward", "--sysctl", "kernel.msgmax");
        assertEquals("1", ((String) get(p, "sysctl", "net.ipv4.ip_forward")).trim());
        assertEquals("12345", ((String) get(p, "sysctl", "kernel.msgmax")).trim());
    }

    @Test
    void personalitySchedulerIoPriorityAndAffinity() throws Exception {
        Map<String, Object> p = probe(c -> c.linux(l -> new dev.jrun.spec.model.Linux(l.uidMappings(), l.gidMappings(),
                l.sysctl(), l.resources(), l.cgroupsPath(), l.namespaces(), l.devices(), l.netDevices(), l.seccomp(),
                l.rootfsPropagation(), l.maskedPaths(), l.readonlyPaths(), l.mountLabel(), l.intelRdt(),
                l.memoryPolicy(), new LinuxPersonality("LINUX32", null), l.timeOffsets()))
                .scheduler(new Scheduler("SCHED_BATCH", 5, 0, null, null, null, null))
                .ioPriority("IOPRIO_CLASS_BE", 6)
                .execCPUAffinity(null, "0"));
        assertEquals(8L, number(p.get("personality")), "PER_LINUX32");
        assertEquals(3L, number(p.get("sched_policy")), "SCHED_BATCH");
        assertEquals(2L, number(p.get("ioprio_class")), "IOPRIO_CLASS_BE");
        assertEquals(6L, number(p.get("ioprio_level")));
        // execCPUAffinity is not applicable to the init (config.md); runc gives it the whole cpuset
        assertEquals(Runtime.getRuntime().availableProcessors(), ((List<?>) p.get("cpu_affinity")).size());
    }

    @Test
    void execCpuAffinityAppliesToExecdProcesses() throws Exception {
        String id = newId();
        dev.jrun.testbundles.Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "60")
                .execCPUAffinity(null, "0"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        Path process = Files.writeString(work.resolve("process.json"), "{\"args\": [\"/bin/jrun-probe\"], \"cwd\": \"/\","
                + " \"env\": [\"PATH=/bin\"], \"execCPUAffinity\": {\"final\": \"0\"}}");
        Map<String, Object> p = jrun("exec", "--process", process.toString(), id).ok().json();
        assertEquals(List.of(0L), ((List<?>) p.get("cpu_affinity")).stream().map(o -> number(o)).toList());
    }

    @Test
    void onlyStdioReachesTheContainer() throws Exception {
        Map<String, Object> p = probe(c -> { });
        assertEquals(List.of(0L, 1L, 2L), ((List<?>) p.get("fds")).stream().map(o -> number(o)).toList());
    }
}
