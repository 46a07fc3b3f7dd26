package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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

    /** `jrun update -r - ID` with this LinuxResources JSON on stdin. */
    Result updateJson(String id, String json) throws IOException, InterruptedException {
        File in = File.createTempFile("jrun-update", ".json");
        try {
            Files.writeString(in.toPath(), json);
            ProcessBuilder pb = new ProcessBuilder(jrun.toString(), "--root", root.toString(), "update", "-r", "-", id)
                    .redirectInput(in);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new Result(p.exitValue(), out, err);
        } finally {
            in.delete();
        }
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
}
