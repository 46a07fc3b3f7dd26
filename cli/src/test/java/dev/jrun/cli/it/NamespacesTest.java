package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.testbundles.Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Namespaces created, joined by path, and the user and time namespaces' settings. */
class NamespacesTest extends ContainerTest {
    private static final List<String> ALL = List.of("pid", "network", "ipc", "uts", "mount", "cgroup", "time");
    private static final Map<String, String> PROBE_NAME = Map.of("pid", "pid", "network", "net", "ipc", "ipc", "uts",
            "uts", "mount", "mnt", "cgroup", "cgroup", "time", "time", "user", "user");

    @Test
    void everyNewNamespaceDiffersFromTheHost() throws Exception {
        Map<String, Object> p = probe(c -> {
            for (String t : ALL) {
                c.removeNamespace(t).addNamespace(t);
            }
        });
        for (String t : ALL) {
            String name = PROBE_NAME.get(t);
            assertNotEquals(hostNamespace(name), get(p, "namespaces", name), t);
        }
        assertEquals(hostNamespace("user"), get(p, "namespaces", "user"), "no user namespace was asked for");
        assertEquals(1L, number(p.get("pid")), "the process is pid 1 of its pid namespace");
    }

    @Test
    void absentNamespacesAreShared() throws Exception {
        Map<String, Object> p = probe(c -> c.removeNamespace("network").removeNamespace("ipc"));
        assertEquals(hostNamespace("net"), get(p, "namespaces", "net"));
        assertEquals(hostNamespace("ipc"), get(p, "namespaces", "ipc"));
    }

    @Test
    void namespacesAreJoinedByPath() throws Exception {
        String first = newId();
        Bundle a = bundle(first, c -> c.args("/bin/jrun-probe", "sleep", "60"));
        jrun("run", "-d", "--bundle", a.dir().toString(), first).ok();
        long pid = number(jrun("state", first).ok().json().get("pid"));
        String netns = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
        String ipcns = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/ipc")).toString();
        Map<String, Object> p = probe(c -> c.namespace("network", "/proc/" + pid + "/ns/net")
                .namespace("ipc", "/proc/" + pid + "/ns/ipc"));
        assertEquals(netns, get(p, "namespaces", "net"));
        assertEquals(ipcns, get(p, "namespaces", "ipc"));
    }

    @Test
    void joiningANamespaceOfTheWrongTypeFails() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.namespace("network", "/proc/self/ns/ipc"));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status());
        assertEquals("join network namespace /proc/self/ns/ipc: invalid argument\n", r.err());
    }

    @Test
    void userNamespaceMapsRootAndWritesTheMappings() throws Exception {
        Map<String, Object> p = probe(c -> c.addNamespace("user")
                .uidMappings(new LinuxIDMapping(0L, 100000L, 65536L))
                .gidMappings(new LinuxIDMapping(0L, 100000L, 65536L)), "read", "/proc/self/uid_map");
        String map = ((String) p.get("content")).trim().replaceAll("\\s+", " ");
        assertEquals("0 100000 65536", map);
        Map<String, Object> info = probe(c -> c.addNamespace("user")
                .uidMappings(new LinuxIDMapping(0L, 100000L, 65536L))
                .gidMappings(new LinuxIDMapping(0L, 100000L, 65536L)).user(1000, 1000));
        assertEquals(1000L, number(info.get("uid")));
        assertNotEquals(hostNamespace("user"), get(info, "namespaces", "user"));
    }

    @Test
    void timeNamespaceOffsetsShiftTheClocks() throws Exception {
        double hostBoot = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        Map<String, Object> p = probe(c -> c.addNamespace("time").timeOffset("monotonic", 86400, 0)
                .timeOffset("boottime", 172800, 0));
        double mono = ((Number) get(p, "time", "monotonic")).doubleValue();
        double boot = ((Number) get(p, "time", "boottime")).doubleValue();
        assertTrue(mono > 86400 + hostBoot - 5 && mono < 86400 + hostBoot + 60, "monotonic " + mono);
        assertTrue(boot > 172800 + hostBoot - 5 && boot < 172800 + hostBoot + 60, "boottime " + boot);
    }

    @Test
    void hostnameAndDomainnameAreSet() throws Exception {
        Map<String, Object> p = probe(c -> c.hostname("box").domainname("example.org"));
        assertEquals("box", p.get("hostname"));
        assertEquals("example.org", p.get("domainname"));
    }

    @Test
    void cgroupNamespaceShowsTheContainersCgroupAsRoot() throws Exception {
        Map<String, Object> p = probe(c -> c.addNamespace("cgroup"));
        List<String> lines = get(p, "cgroup");
        for (String line : lines) {
            assertTrue(line.endsWith(":/"), line);
        }
    }
}
