package dev.jrun.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jrun.spec.json.JsonStyle;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.LinuxCapabilities;
import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code jrun spec} must write what the newest runc writes. The golden files are runc 1.1.5's
 * actual {@code runc spec} output (kept as runc-1.1.5-*.json) with the two differences of runc
 * 1.5.1's libcontainer/specconv/example.go applied: no ambient capabilities, and a cgroup
 * namespace on cgroup v2 hosts; plus ociVersion 1.3.0.
 */
class DefaultSpecTest {

    @ParameterizedTest(name = "rootless={0} cgroupns={1}")
    @CsvSource({
        "false, false, runc-spec.json",
        "false, true, runc-spec-cgroupns.json",
        "true, false, runc-spec-rootless.json",
        "true, true, runc-spec-rootless-cgroupns.json",
    })
    void matchesRunc(boolean rootless, boolean cgroupns, String golden) {
        byte[] written = SpecWriter.write(DefaultSpec.runc(rootless, cgroupns, 0, 0), JsonStyle.TABS);
        assertEquals(Golden.text(golden), new String(written, StandardCharsets.UTF_8));
    }

    /** The parts runc 1.1.5 and 1.5.1 share are byte-identical to what 1.1.5 really printed. */
    @ParameterizedTest
    @CsvSource({"false, runc-1.1.5-spec.json", "true, runc-1.1.5-spec-rootless.json"})
    void agreesWithOldRuncOnSharedParts(boolean rootless, String old) throws Exception {
        Spec runc115 = SpecReader.readConfig(Golden.bytes(old), "config.json");
        Process p = runc115.process();
        LinuxCapabilities c = p.capabilities();
        Spec adjusted = new Spec("1.3.0",
                new Process(p.terminal(), p.consoleSize(), p.user(), p.args(), p.commandLine(), p.env(),
                        p.cwd(), new LinuxCapabilities(c.bounding(), c.effective(), c.inheritable(),
                                c.permitted(), null),
                        p.rlimits(), p.noNewPrivileges(), p.apparmorProfile(), p.oomScoreAdj(),
                        p.scheduler(), p.selinuxLabel(), p.ioPriority(), p.execCPUAffinity()),
                runc115.root(), runc115.hostname(), runc115.domainname(), runc115.mounts(),
                runc115.hooks(), runc115.annotations(), runc115.linux());
        assertEquals(adjusted, DefaultSpec.runc(rootless, false, 0, 0));
    }

    @Test
    void rootlessMapsRootToTheGivenIds() {
        Linux linux = DefaultSpec.runc(true, false, 1000, 1001).linux();
        assertEquals(List.of(new LinuxIDMapping(0L, 1000L, 1L)), linux.uidMappings());
        assertEquals(List.of(new LinuxIDMapping(0L, 1001L, 1L)), linux.gidMappings());
    }

    @Test
    void hostDetectionWorks() {
        assertNotNull(DefaultSpec.runc(false));
        assertNotNull(DefaultSpec.runc(true).linux().uidMappings());
    }
}
