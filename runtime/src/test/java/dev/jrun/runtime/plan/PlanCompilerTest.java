package dev.jrun.runtime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.SpecReader;
import dev.jrun.spec.model.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Golden plans: each config under src/test/resources/plans compiles to exactly the listing in
 * the .plan file next to it.  Run with -Djrun.updateGolden=true to rewrite them after an
 * intended change, then review the diff.
 */
class PlanCompilerTest {
    static final Path DIR = Path.of("src/test/resources/plans");

    static PlanContext context(boolean terminal, boolean noPivot) {
        CgroupView v1 = new CgroupView("/sys/fs/cgroup/unified/c1", false, List.of(
                new CgroupView.V1Hierarchy("cpu,cpuacct", List.of("cpu", "cpuacct"), List.of("cpu", "cpuacct"),
                        "/sys/fs/cgroup/cpu,cpuacct/c1"),
                new CgroupView.V1Hierarchy("memory", List.of("memory"), List.of(), "/sys/fs/cgroup/memory/c1"),
                new CgroupView.V1Hierarchy("systemd", List.of("none", "name=systemd"), List.of(),
                        "/sys/fs/cgroup/systemd/c1")));
        return new PlanContext(new PlanContext.Container("c1", Path.of("/b"), Path.of("/b/rootfs"), ""),
                new PlanContext.Invocation(noPivot, false, terminal ? 6 : -1, 5),
                new PlanContext.Host(true, v1, null, false, noPivot ? List.of("/sys", "/proc") : null), null);
    }

    static Spec load(String name) throws Exception {
        return SpecReader.readConfig(DIR.resolve(name + ".json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "userns", "hooks-terminal", "joined", "idmap"})
    void compilesToTheGoldenPlan(String name) throws Exception {
        Spec spec = load(name);
        boolean terminal = spec.process().isTerminal();
        String plan = PlanCompiler.compile(spec, context(terminal, name.equals("joined"))).render();
        Path golden = DIR.resolve(name + ".plan");
        if (Boolean.getBoolean("jrun.updateGolden")) {
            Files.writeString(golden, plan);
        }
        assertEquals(Files.readString(golden), plan, "plan of " + name + ".json");
    }

    @Test
    void execCompilesToTheGoldenPlan() throws Exception {
        Spec spec = load("default");
        dev.jrun.spec.model.Process p = spec.process();
        dev.jrun.spec.model.Process exec = new dev.jrun.spec.model.Process(false, null, p.user(), List.of("/bin/sh",
                "-c", "echo hi"), null, p.env(), "/tmp", p.capabilities(), p.rlimits(), true, null, null, null, null,
                null, null);
        String plan = PlanCompiler.compileExec(spec, exec, context(false, false),
                new PlanCompiler.ExecContext(7, 0x6e020000L)).render();
        Path golden = DIR.resolve("exec.plan");
        if (Boolean.getBoolean("jrun.updateGolden")) {
            Files.writeString(golden, plan);
        }
        assertEquals(Files.readString(golden), plan);
    }

    /** restore: the executor joins the cgroup, prepares the rootfs in CRIU's own mount namespace, runs CRIU. */
    @Test
    void criuRestoreCompilesToTheGoldenPlan() throws Exception {
        String plan = PlanCompiler.compileCriuRestore(load("default"), context(false, false), "/usr/local/sbin/criu",
                List.of("criu", "swrk", "3"), List.of("PATH=/usr/bin")).render();
        Path golden = DIR.resolve("criu-restore.plan");
        if (Boolean.getBoolean("jrun.updateGolden")) {
            Files.writeString(golden, plan);
        }
        assertEquals(Files.readString(golden), plan);
    }

    @Test
    void encodedPlanHasMagicAndStepCount() throws Exception {
        InitPlan plan = PlanCompiler.compile(load("default"), context(false, false));
        byte[] bytes = plan.encode();
        assertEquals("JRP2", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        int count = (bytes[4] & 0xff) | (bytes[5] & 0xff) << 8 | (bytes[6] & 0xff) << 16 | (bytes[7] & 0xff) << 24;
        assertEquals(plan.entries().size(), count);
    }

    @Test
    void withoutAMountNamespaceTheRootfsIsEnteredByChroot() throws Exception {
        String json = Files.readString(DIR.resolve("default.json"))
                .replace("{\"type\": \"mount\"},", "");
        Spec spec = SpecReader.readConfig(json.getBytes(StandardCharsets.UTF_8), "config.json");
        String plan = PlanCompiler.compile(spec, context(false, true)).render();
        assertTrue(plan.contains("PREPARE_ROOTFS rootfs=\"/b/rootfs\" parentMount=\"\" bindOntoItself=false\n"), plan);
        assertTrue(plan.contains("\nCHROOT\n"), plan);
        assertFalse(plan.contains("ROOT_PROPAGATION"), "the caller's / is left as it is");
        assertFalse(plan.contains("PIVOT_ROOT") || plan.contains("MOVE_ROOT"), "not even with --no-pivot");
    }

    @Test
    void apparmorWithoutHostSupportIsAnError() throws Exception {
        String json = Files.readString(DIR.resolve("default.json"))
                .replace("\"cwd\": \"/\",", "\"cwd\": \"/\", \"apparmorProfile\": \"docker-default\",");
        Spec spec = SpecReader.readConfig(json.getBytes(StandardCharsets.UTF_8), "config.json");
        PlanException e = assertThrows(PlanException.class, () -> PlanCompiler.compile(spec, context(false, false)));
        assertEquals("process.apparmorProfile: AppArmor is not enabled on this host, so profile \"docker-default\" "
                + "cannot be applied", e.getMessage());
    }

    @Test
    void sysctlsBecomeProcWritesInOrder() throws Exception {
        String json = Files.readString(DIR.resolve("default.json"))
                .replace("\"linux\": {", "\"linux\": {\"sysctl\": {\"net.ipv4.ip_forward\": \"1\", \"kernel.shmmax\": \"8192\"},");
        Spec spec = SpecReader.readConfig(json.getBytes(StandardCharsets.UTF_8), "config.json");
        String plan = PlanCompiler.compile(spec, context(false, false)).render();
        int a = plan.indexOf("PROC_WRITE path=\"sys/net/ipv4/ip_forward\" data=\"1\"");
        int b = plan.indexOf("PROC_WRITE path=\"sys/kernel/shmmax\" data=\"8192\"");
        assertTrue(a > 0 && b > a, plan);
        assertTrue(plan.indexOf("PIVOT_ROOT") < a, "sysctls are written inside the container's namespaces");
    }

    /** Without a user namespace of the container, only the id-mapped sources are made before the mounts. */
    @Test
    void idMappedMountWithoutAUserNamespace() throws Exception {
        String json = Files.readString(DIR.resolve("default.json")).replace("\"mounts\": [", "\"mounts\": ["
                + "{\"destination\": \"/m\", \"type\": \"bind\", \"source\": \"/srv/m\", \"options\": [\"rbind\", \"idmap\"],"
                + " \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}],"
                + " \"gidMappings\": [{\"containerID\": 0, \"hostID\": 2000, \"size\": 10}, "
                + "{\"containerID\": 10, \"hostID\": 3000, \"size\": 1}]},");
        Spec spec = SpecReader.readConfig(json.getBytes(StandardCharsets.UTF_8), "config.json");
        InitPlan plan = PlanCompiler.compile(spec, context(false, false));
        String text = plan.render();
        assertFalse(text.contains("OPEN_MOUNT_SOURCES"), text);
        int userns = text.indexOf("MAPPING_USERNS uidMap=\"0 1000 10\\n\" gidMap=\"0 2000 10\\n10 3000 1\\n\" path=\"\"\n");
        int source = text.indexOf("ID_MAP_SOURCE source=\"/srv/m\" recursive=true userns=0 recursiveIdMap=false\n");
        int unshare = text.indexOf("UNSHARE");
        assertTrue(userns > 0 && source > userns && unshare > source, text);
        assertTrue(text.contains(" sourceSlot=0 idMapped=true\n"), text);
        int step = plan.entries().indexOf(plan.entries().stream()
                .filter(e -> e.step() instanceof Step.IdMapSource).findFirst().orElseThrow());
        assertEquals("id-mapped mount of /srv/m on /m: the kernel refused to id-map it (invalid argument): the filesystem"
                + " of the source does not support id-mapped mounts on this kernel", plan.explain(step, 22));
        assertEquals("id-mapped mount of /srv/m on /m", plan.describe(step));
    }

    /** runc takes a joined user namespace itself for an id-mapped mount without mappings. */
    @Test
    void idMappedMountTakesAJoinedUserNamespace() throws Exception {
        String json = Files.readString(DIR.resolve("idmap.json"))
                .replace("{\"type\": \"user\"}", "{\"type\": \"user\", \"path\": \"/proc/42/ns/user\"}")
                .replaceAll("(?s)\"linux\": \\{\\s*\"uidMappings\".*?\\],\\s*\"gidMappings\".*?\\],", "\"linux\": {");
        Spec spec = SpecReader.readConfig(json.getBytes(StandardCharsets.UTF_8), "config.json");
        String text = PlanCompiler.compile(spec, context(false, false)).render();
        assertTrue(text.contains("MAPPING_USERNS uidMap=\"\" gidMap=\"\" path=\"/proc/42/ns/user\"\n"), text);
        assertTrue(text.indexOf("MAPPING_USERNS") < text.indexOf("JOIN_NAMESPACES"), "opened before it is joined");
        assertTrue(text.contains("ID_MAP_SOURCE source=\"/srv/implied\" recursive=true userns=1 recursiveIdMap=true\n"), text);
    }

    @Test
    void idMappedMountMustBeABind() throws Exception {
        String json = Files.readString(DIR.resolve("idmap.json"))
                .replace("{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"}",
                        "{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\", \"options\": [\"idmap\"]}");
        Spec spec = SpecReader.readConfig(json.getBytes(StandardCharsets.UTF_8), "config.json");
        PlanException e = assertThrows(PlanException.class, () -> PlanCompiler.compile(spec, context(false, false)));
        assertEquals("mounts[0]: id-mapped mounts are only supported for bind-mounts", e.getMessage());
    }

    /** CRIU would bind an id-mapped mount's source back unmapped. */
    @Test
    void checkpointAndRestoreRefuseIdMappedMounts() throws Exception {
        assertEquals(null, CriuMounts.idMappedRefusal(load("default")));
        assertEquals("checkpoint and restore of a container with id-mapped mounts is not supported by jrun:"
                + " CRIU would restore /own without its id mapping", CriuMounts.idMappedRefusal(load("idmap")));
    }

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
