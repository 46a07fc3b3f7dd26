package dev.jrun.runtime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jrun.runtime.cgroups.DeviceAllowList.Rule;
import dev.jrun.runtime.linux.Bpf;
import dev.jrun.runtime.linux.NativeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The device filter in a real kernel: loaded with bpf(2) into a throw-away cgroup2 directory,
 * then enforced on a shell moved into it.  Runs only with -Djrun.integration=true, as root;
 * with that property set, anything missing is a failure, not a skip.  The directory is
 * created under the host's cgroup2 mount (on a hybrid host /sys/fs/cgroup/unified) and removed
 * at the end; nothing else there is touched.
 */
@Tag("integration")
class BpfDeviceFilterIntegrationTest {

    @Test
    void loadAttachEnforceReplaceDetach() throws Exception {
        Assumptions.assumeTrue("true".equals(System.getProperty("jrun.integration")),
                "integration test: run with -Djrun.integration=true as root");
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assertEquals(0, uid, "jrun.integration=true needs root (bpf(2) and cgroup2)");
        for (String need : List.of("/bin/sh", "/dev/null", "/dev/zero", "/dev/full", "/dev/kmsg")) {
            assertTrue(Files.exists(Path.of(need)), need + " is needed");
        }
        CgroupHost host = CgroupHost.detect();
        assertNotNull(host.unifiedMount(), "no cgroup2 mount on this host");
        Path dir = Path.of(host.unifiedMount(), "jrun-test-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(dir);
        try {
            // deny all but /dev/null and reading /dev/zero
            byte[] strict = DeviceFilter.generate(List.of(Rule.deny('a', -1, -1, "rwm"), Rule.allow('c', 1, 3, "rwm"),
                    Rule.allow('c', 1, 5, "r")));
            Bpf.replaceCgroupDeviceProgram(strict, DeviceFilter.LICENSE, dir.toString());
            int[] first = Bpf.queryCgroupDevicePrograms(dir.toString());
            assertEquals(1, first.length, "one program attached");

            String out = runIn(dir);
            assertTrue(out.contains("zero-read-ok"), out);
            assertTrue(out.contains("zero-write-denied"), out);
            assertTrue(out.contains("full-denied"), out);
            assertTrue(out.contains("kmsg-denied"), out);
            assertTrue(out.contains("Operation not permitted"), out);

            // an update replaces the program: runc's defaults let /dev/full and writes to /dev/zero through
            V2Resources.applyDevices(CgroupTestSupport.res("{'devices':[{'allow':false,'access':'rwm'}]}"), dir);
            int[] second = Bpf.queryCgroupDevicePrograms(dir.toString());
            assertEquals(1, second.length, "the old program is detached");
            assertNotEquals(first[0], second[0]);

            out = runIn(dir);
            assertTrue(out.contains("zero-read-ok"), out);
            assertTrue(out.contains("zero-write-ok"), out);
            assertTrue(out.contains("full-ok"), out);
            assertTrue(out.contains("kmsg-denied"), out);

            // an allow-all config with one deny: any overlapping access to the device is denied
            V2Resources.applyDevices(CgroupTestSupport.res("{'devices':[{'allow':true,'access':'rwm'},"
                    + "{'allow':false,'type':'c','major':1,'minor':11,'access':'w'}]}"), dir);
            out = runIn(dir);
            assertTrue(out.contains("full-ok"), out);
            assertTrue(out.contains("kmsg-read-ok"), out);
            assertTrue(out.contains("kmsg-rw-denied"), out);

            Bpf.detachCgroupDevice(Bpf.queryCgroupDevicePrograms(dir.toString())[0], dir.toString());
            assertEquals(0, Bpf.queryCgroupDevicePrograms(dir.toString()).length);

            // the single steps
            int fd = Bpf.loadCgroupDeviceProgram(strict, DeviceFilter.LICENSE);
            Bpf.attachCgroupDevice(fd, dir.toString());
            Bpf.close(fd);
            int[] ids = Bpf.queryCgroupDevicePrograms(dir.toString());
            assertEquals(1, ids.length);
            assertTrue(runIn(dir).contains("full-denied"));
            Bpf.detachCgroupDevice(ids[0], dir.toString());
            assertTrue(runIn(dir).contains("full-ok"));

            // the verifier's complaint is reported
            byte[] noExit = DeviceFilter.encode(List.of(new DeviceFilter.Insn(0xb4, 0, 0, 0, 0)));
            NativeException e = assertThrows(NativeException.class,
                    () -> Bpf.loadCgroupDeviceProgram(noExit, DeviceFilter.LICENSE));
            assertTrue(e.getMessage().startsWith("bpf(BPF_PROG_LOAD) (verifier: "), e.getMessage());
        } finally {
            removeCgroup(dir);
        }
    }

    @Test
    void syscallNumbers() throws Exception {
        assertEquals(321, Bpf.syscallNumber("amd64"));
        assertEquals(321, Bpf.syscallNumber("x86_64"));
        assertEquals(280, Bpf.syscallNumber("aarch64"));
        assertEquals("bpf: unsupported architecture s390x: function not implemented",
                assertThrows(NativeException.class, () -> Bpf.syscallNumber("s390x")).getMessage());
    }

    /** A shell that joins the cgroup, then tries some device accesses and says how each went. */
    private static String runIn(Path dir) throws IOException, InterruptedException {
        // each probe in a subshell: a failed redirection may end the shell that tried it
        String script = "echo $$ > " + dir.resolve("cgroup.procs") + " || exit 9\n"
                + "if (head -c 1 /dev/zero > /dev/null); then echo zero-read-ok; else echo zero-read-denied; fi\n"
                + "if (echo x > /dev/zero); then echo zero-write-ok; else echo zero-write-denied; fi\n"
                + "if (head -c 1 /dev/full > /dev/null); then echo full-ok; else echo full-denied; fi\n"
                + "if (: < /dev/kmsg); then echo kmsg-read-ok; else echo kmsg-denied; fi\n"
                + "if (: <> /dev/kmsg); then echo kmsg-rw-ok; else echo kmsg-rw-denied; fi\n";
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the shell in the cgroup hangs: " + out);
        }
        assertEquals(0, p.exitValue(), "joining the cgroup failed: " + out);
        return out;
    }

    private static void removeCgroup(Path dir) throws Exception {
        for (int i = 0; i < 200; i++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                Thread.sleep(10); // busy for a moment after the last process exits
            }
        }
        fail("could not remove " + dir);
    }
}
