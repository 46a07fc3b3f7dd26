package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.SpecReader;
import dev.jrun.spec.model.LinuxCapabilities;
import dev.jrun.spec.model.LinuxSeccomp;
import dev.jrun.spec.model.LinuxSeccompArg;
import dev.jrun.spec.model.LinuxSyscall;
import dev.jrun.testbundles.Bundle;
import dev.jrun.testbundles.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * linux.seccomp in real containers: the probe runs one syscall in a forked child and reports
 * its result, or the signal that killed the child.  Syscall numbers are x86_64's.
 */
class SeccompTest extends ContainerTest {
    static final long SIGSYS = 31;
    static final long NR_GETPPID = 110;

    static LinuxSyscall rule(String action, Long errnoRet, List<LinuxSeccompArg> args, String... names) {
        return new LinuxSyscall(List.of(names), action, errnoRet, args);
    }

    static LinuxSyscall rule(String action, String... names) {
        return rule(action, null, null, names);
    }

    static LinuxSeccompArg arg(long index, String op, long value) {
        return new LinuxSeccompArg(index, value, null, op);
    }

    /** Allows everything but what the rules say. */
    static LinuxSeccomp allowBut(LinuxSyscall... rules) {
        return new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, null, null, Arrays.asList(rules));
    }

    /** docker's default profile for amd64 with docker's default capabilities, as docker writes it into config.json. */
    static LinuxSeccomp dockerDefault() throws Exception {
        String profile = new String(SeccompTest.class.getResourceAsStream("/seccomp/docker-default.json").readAllBytes(),
                StandardCharsets.UTF_8);
        String config = "{\"ociVersion\":\"1.0.2\",\"linux\":{\"seccomp\":" + profile + "}}";
        return SpecReader.readConfig(config.getBytes(StandardCharsets.UTF_8), "docker-default.json").linux().seccomp();
    }

    static LinuxSeccomp withDefaultErrno(LinuxSeccomp s, long errno) {
        return new LinuxSeccomp(s.defaultAction(), errno, s.architectures(), s.flags(), s.listenerPath(),
                s.listenerMetadata(), s.syscalls());
    }

    private Map<String, Object> syscall(LinuxSeccomp seccomp, String... call) throws Exception {
        List<String> args = new ArrayList<>(List.of("syscall"));
        args.addAll(List.of(call));
        return probe(c -> c.seccomp(seccomp), args.toArray(new String[0]));
    }

    private static void assertErrno(long errno, Map<String, Object> r) {
        assertEquals(-1L, number(r.get("ret")), r.toString());
        assertEquals(errno, number(r.get("errno_num")), r.toString());
    }

    private static void assertSucceeded(Map<String, Object> r) {
        assertTrue(r.get("ret") != null && number(r.get("ret")) >= 0, r.toString());
    }

    @Test
    void theFilterIsInstalled() throws Exception {
        Map<String, Object> p = probe(c -> c.seccomp(allowBut(rule("SCMP_ACT_ERRNO", "mkdir"))));
        assertEquals(2L, number(p.get("seccomp")), "SECCOMP_MODE_FILTER");
        assertEquals(1L, number(p.get("seccomp_filters")), "one filter, jrun-init's own none");
        assertEquals(1L, number(p.get("no_new_privs")));
    }

    @Test
    void aDeniedSyscallGetsEperm() throws Exception {
        assertErrno(1, syscall(allowBut(rule("SCMP_ACT_ERRNO", "mkdir")), "mkdir", "/dev/shm/d"));
        assertSucceeded(syscall(allowBut(rule("SCMP_ACT_ERRNO", "rmdir")), "mkdir", "/dev/shm/d"));
    }

    @Test
    void errnoRetAndDefaultErrnoRet() throws Exception {
        assertErrno(95, syscall(allowBut(rule("SCMP_ACT_ERRNO", 95L, null, "mkdir")), "mkdir", "/dev/shm/d"));
        // deny by default, through docker's profile, which does not allow umount2
        assertErrno(1, syscall(dockerDefault(), "umount2", "/tmp"));
        assertErrno(13, syscall(withDefaultErrno(dockerDefault(), 13), "umount2", "/tmp"));
    }

    @Test
    void anArgumentFilterBlocksOneValueAndAllowsAnother() throws Exception {
        LinuxSeccomp noInet6 = allowBut(rule("SCMP_ACT_ERRNO", 97L, List.of(arg(0, "SCMP_CMP_EQ", 10)), "socket"));
        assertErrno(97, syscall(noInet6, "socket", "AF_INET6", "SOCK_STREAM"));
        assertSucceeded(syscall(noInet6, "socket", "AF_INET", "SOCK_STREAM"));
        // personality(0xffffffff) only asks; changing it to PER_LINUX32 is refused
        LinuxSeccomp queryOnly = allowBut(rule("SCMP_ACT_ERRNO", null,
                List.of(arg(0, "SCMP_CMP_NE", 0xffffffffL)), "personality"));
        assertErrno(1, syscall(queryOnly, "personality", "8"));
        assertSucceeded(syscall(queryOnly, "personality", "0xffffffff"));
    }

    @Test
    void conditionsOnDistinctArgumentsAreAndedOnTheSameArgumentOred() throws Exception {
        LinuxSeccomp inetDgram = allowBut(rule("SCMP_ACT_ERRNO", null,
                List.of(arg(0, "SCMP_CMP_EQ", 2), arg(1, "SCMP_CMP_EQ", 2)), "socket"));
        assertErrno(1, syscall(inetDgram, "socket", "AF_INET", "SOCK_DGRAM"));
        assertSucceeded(syscall(inetDgram, "socket", "AF_INET", "SOCK_STREAM"));
        LinuxSeccomp eitherFamily = allowBut(rule("SCMP_ACT_ERRNO", null,
                List.of(arg(0, "SCMP_CMP_EQ", 10), arg(0, "SCMP_CMP_EQ", 16)), "socket"));
        assertErrno(1, syscall(eitherFamily, "socket", "AF_INET6", "SOCK_DGRAM"));
        assertErrno(1, syscall(eitherFamily, "socket", "AF_NETLINK", "SOCK_DGRAM"));
        assertSucceeded(syscall(eitherFamily, "socket", "AF_INET", "SOCK_DGRAM"));
    }

    @Test
    void killProcessAndKillKillWithSigsys() throws Exception {
        for (String action : List.of("SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD")) {
            Map<String, Object> r = syscall(allowBut(rule(action, "getppid")), "getppid");
            assertEquals(SIGSYS, number(r.get("signal")), action + ": " + r);
        }
    }

    @Test
    void trapDeliversSigsys() throws Exception {
        Map<String, Object> r = syscall(allowBut(rule("SCMP_ACT_TRAP", "getppid")), "getppid");
        assertEquals(SIGSYS, number(r.get("signal")), r.toString());
    }

    @Test
    void logAllows() throws Exception {
        Map<String, Object> r = syscall(allowBut(rule("SCMP_ACT_LOG", "getppid")), "getppid");
        assertSucceeded(r);
        assertEquals("getppid", r.get("syscall"));
    }

    @Test
    void unknownSyscallNamesAreSkipped() throws Exception {
        assertErrno(1, syscall(allowBut(rule("SCMP_ACT_ERRNO", "no_such_syscall", "mkdir")), "mkdir", "/dev/shm/d"));
    }

    @Test
    void flagsAreAccepted() throws Exception {
        LinuxSeccomp s = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null,
                List.of("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"),
                null, null, List.of(rule("SCMP_ACT_ERRNO", "mkdir")));
        assertErrno(1, syscall(s, "mkdir", "/dev/shm/d"));
    }

    /** docker leaves no_new_privs off unless asked, so jrun-init runs its last steps under the filter. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void dockersDefaultProfileRunsAShell(boolean noNewPrivileges) throws Exception {
        String id = newId();
        LinuxSeccomp docker = dockerDefault();
        Bundle b = bundle(id, c -> c.seccomp(docker).noNewPrivileges(noNewPrivileges).user(1000, 1000)
                .capabilities("CAP_CHOWN", "CAP_KILL").args("/bin/sh", "-c",
                "echo hello; ls / >/dev/null && grep Seccomp: /proc/self/status; cat /etc/passwd | wc -l; id -u"));
        Result r = jrun("run", "--bundle", b.dir().toString(), id).ok();
        List<String> lines = r.out().lines().toList();
        assertEquals("hello", lines.get(0), r.out());
        assertTrue(lines.get(1).matches("Seccomp:\\s+2"), r.out());
        assertTrue(Long.parseLong(lines.get(2).trim()) > 0, r.out());
        assertEquals("1000", lines.get(3), r.out());
    }

    /**
     * A profile older than faccessat2 refuses it with EPERM (the runtime-tools suite's does):
     * finding the command still works, judged from the file's mode as Go's runc falls back to,
     * and a file the user may not execute is still refused in runc's words.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aProfileWithoutFaccessat2StillFindsTheCommand(boolean noNewPrivileges) throws Exception {
        LinuxSeccomp old = allowBut(rule("SCMP_ACT_ERRNO", "faccessat2"));
        String id = newId();
        Bundle b = bundle(id, c -> c.seccomp(old).noNewPrivileges(noNewPrivileges).args("/bin/sh", "-c", "echo found"));
        assertEquals("found\n", jrun("run", "--bundle", b.dir().toString(), id).ok().out());

        String denied = newId();
        Bundle d = bundle(denied, c -> c.seccomp(old).noNewPrivileges(noNewPrivileges).user(1000, 1000)
                .capabilities("CAP_KILL").args("/only-root"));
        java.nio.file.Path file = d.rootfs().resolve("only-root");
        java.nio.file.Files.copy(d.rootfs().resolve("bin/busybox"), file);
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Result r = jrun("run", "--bundle", d.dir().toString(), denied);
        assertEquals(1, r.status(), r.err());
        assertEquals("exec: \"/only-root\": permission denied\n", r.err());
    }

    @Test
    void dockersDefaultProfileDeniesAndFallsBack() throws Exception {
        LinuxSeccomp docker = dockerDefault();
        assertErrno(1, syscall(docker, "unshare", "CLONE_NEWUSER"));
        assertErrno(38, syscall(docker, "clone3"), "docker's own rule: ENOSYS, so glibc uses clone");
        assertErrno(38, syscall(docker, "raw", "1000"), "newer than the profile: ENOSYS, not EPERM");
        assertSucceeded(syscall(docker, "getppid"));
        assertSucceeded(syscall(docker, "socket", "AF_INET", "SOCK_STREAM"));
        assertErrno(1, syscall(docker, "socket", "AF_VSOCK", "SOCK_STREAM"));
    }

    private static void assertErrno(long errno, Map<String, Object> r, String why) {
        assertEquals(errno, r.get("errno_num") == null ? null : number(r.get("errno_num")), why + ": " + r);
    }

    @Test
    void withoutNoNewPrivilegesTheFilterStillLoads() throws Exception {
        LinuxSeccomp s = allowBut(rule("SCMP_ACT_ERRNO", "mkdir"));
        Map<String, Object> p = probe(c -> c.seccomp(s).noNewPrivileges(false));
        assertEquals(0L, number(p.get("no_new_privs")));
        assertEquals(2L, number(p.get("seccomp")));
        assertErrno(1, probe(c -> c.seccomp(s).noNewPrivileges(false), "syscall", "mkdir", "/dev/shm/d"));
    }

    @Test
    void aProfileDenyingWhatJrunInitNeedsLateDoesNotBreakStartWithNoNewPrivileges() throws Exception {
        LinuxSeccomp s = allowBut(rule("SCMP_ACT_ERRNO", "capset", "setresuid", "setresgid", "setgroups"));
        LinuxCapabilities caps = new LinuxCapabilities(List.of("CAP_KILL"), List.of("CAP_KILL"), List.of(),
                List.of("CAP_KILL"), List.of());
        Map<String, Object> p = probe(c -> c.seccomp(s).noNewPrivileges(true).capabilities(caps).user(1000, 1000));
        assertEquals(1000L, number(p.get("uid")), "setresuid ran before the filter");
        assertEquals("0000000000000020", get(p, "caps", "bounding"), "capabilities were set before the filter");
        assertEquals(2L, number(p.get("seccomp")));

        // without no_new_privs the filter must come before the capabilities are dropped, as in runc
        String id = newId();
        Bundle b = bundle(id, c -> c.seccomp(s).noNewPrivileges(false).capabilities(caps));
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status(), r.out());
        assertTrue(r.err().contains("operation not permitted"), r.err());
        assertEquals(1, jrun("state", id).status(), "nothing is left of it");
    }

    @Test
    void notifyHandsTheListenerToTheAgent() throws Exception {
        Assumptions.assumeTrue("amd64".equals(System.getProperty("os.arch")), "getppid is 110 on x86_64");
        Path socket = work.resolve("agent.sock");
        Path stateOut = work.resolve("agent-state.json");
        Path script = Path.of(getClass().getResource("/seccomp-agent.py").toURI());
        Process agent = new ProcessBuilder("python3", script.toString(), socket.toString(), stateOut.toString(),
                Long.toString(NR_GETPPID), "4242").redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(agent.getInputStream()));
            assertEquals("ready", lines.readLine());
            String id = newId();
            // sendmsg may be trapped too, as under runc: jrun-init only writes the listener's number
            LinuxSeccomp s = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, socket.toString(), "hello agent",
                    List.of(rule("SCMP_ACT_NOTIFY", "getppid"), rule("SCMP_ACT_NOTIFY", "sendmsg")));
            Bundle b = bundle(id, c -> c.seccomp(s).annotation("k", "v").args("/bin/jrun-probe", "syscall", "getppid"));
            Path pidFile = work.resolve("pid");
            Result r = jrun("run", "--pid-file", pidFile.toString(), "--bundle", b.dir().toString(), id).ok();
            Map<String, Object> report = r.json();
            assertEquals(4242L, number(report.get("ret")), "the agent's answer: " + r.out());
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
            assertEquals("answered " + NR_GETPPID, lines.readLine());
            assertEquals("1", Files.readString(Path.of(stateOut + ".fds")), "exactly one fd, with the state");

            Map<String, Object> state = Json.parseObject(Files.readString(stateOut));
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            assertEquals("1.3.0", state.get("ociVersion"));
            assertEquals(List.of("seccompFd"), state.get("fds"));
            assertEquals(pid, number(state.get("pid")), "the container process, as the runtime sees it");
            assertEquals("hello agent", state.get("metadata"));
            assertEquals(id, get(state, "state", "id"));
            assertEquals("creating", get(state, "state", "status"));
            assertEquals(pid, number(get(state, "state", "pid")));
            assertEquals(b.dir().toString(), get(state, "state", "bundle"));
            assertEquals(Map.of("k", "v"), get(state, "state", "annotations"));
        } finally {
            agent.destroyForcibly();
        }
    }

    @Test
    void aMissingListenerFailsCreate() throws Exception {
        String id = newId();
        Path socket = work.resolve("nobody.sock");
        LinuxSeccomp s = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, socket.toString(), null,
                List.of(rule("SCMP_ACT_NOTIFY", "getppid")));
        Bundle b = bundle(id, c -> c.seccomp(s));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status(), r.out());
        assertEquals("failed to connect with seccomp agent specified in the seccomp profile: connect " + socket
                + ": no such file or directory\n", r.err());
        assertEquals(1, jrun("state", id).status(), "nothing is left of it");
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/memory/jrun-test", id)), "nor of its cgroup");
    }

    @Test
    void aRefusingListenerFailsCreate() throws Exception {
        String id = newId();
        Path socket = work.resolve("plain-file.sock");
        Files.writeString(socket, "not a socket");
        LinuxSeccomp s = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, socket.toString(), null,
                List.of(rule("SCMP_ACT_NOTIFY", "getppid")));
        Bundle b = bundle(id, c -> c.seccomp(s));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status(), r.out());
        assertTrue(r.err().contains("connection refused"), r.err());
        assertEquals(1, jrun("state", id).status());
    }

    @Test
    void featuresListWhatIsSupported() throws Exception {
        Map<String, Object> f = jrun("features").ok().json();
        Map<String, Object> seccomp = get(f, "linux", "seccomp");
        assertEquals(Boolean.TRUE, seccomp.get("enabled"));
        assertTrue(((List<?>) seccomp.get("actions")).containsAll(List.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO",
                "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
                "SCMP_ACT_TRACE", "SCMP_ACT_TRAP")), seccomp.toString());
        assertEquals(List.of("SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
                "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"), seccomp.get("operators"));
        assertTrue(((List<?>) seccomp.get("archs")).containsAll(List.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64",
                "SCMP_ARCH_X32")), seccomp.toString());
        assertTrue(((List<?>) seccomp.get("supportedFlags")).containsAll(List.of("SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW")), seccomp.toString());
        assertNotEquals(0, ((List<?>) seccomp.get("knownFlags")).size());
    }
}
