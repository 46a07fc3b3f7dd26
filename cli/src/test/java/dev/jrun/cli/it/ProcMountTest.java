package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.testbundles.Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No mount may land inside the container's /proc (CVE-2019-16884, CVE-2019-19921): decided on
 * the destination as it resolves inside the rootfs, with runc's allow-list and runc's words.
 */
class ProcMountTest extends ContainerTest {

    private Path volume() throws Exception {
        Path file = work.resolve("volume");
        Files.writeString(file, "from the host\n");
        return file;
    }

    private void assertRefused(Bundle b, String id, String destination, String resolved) throws Exception {
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status(), r.err());
        assertEquals("mount " + work.resolve("volume") + " on " + b.rootfs() + destination + ": \"" + b.rootfs()
                + resolved + "\" cannot be mounted because it is inside /proc\n", r.err());
        assertFalse(Files.exists(root.resolve(id)), "no state is left");
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(b.rootfs().toString()),
                "no mount is left");
    }

    @Test
    void aBindOntoAProcfsFileIsRefused() throws Exception {
        String id = newId();
        Path volume = volume();
        Bundle b = bundle(id, c -> c.bindMount(volume.toString(), "/proc/sys/kernel/core_pattern", "bind"));
        assertRefused(b, id, "/proc/sys/kernel/core_pattern", "/proc/sys/kernel/core_pattern");
    }

    @Test
    void anImageSymlinkCannotSteerAVolumeIntoProc() throws Exception {
        String id = newId();
        Path volume = volume();
        Bundle b = bundle(id, c -> c.bindMount(volume.toString(), "/evilp/sys/kernel/core_pattern", "bind"));
        Files.createSymbolicLink(b.rootfs().resolve("evilp"), Path.of("/proc"));
        assertRefused(b, id, "/evilp/sys/kernel/core_pattern", "/proc/sys/kernel/core_pattern");
    }

    @Test
    void aRelativeSymlinkIsResolvedTheSameWay() throws Exception {
        String id = newId();
        Path volume = volume();
        Bundle b = bundle(id, c -> c.bindMount(volume.toString(), "/etc/evil/attr/current", "bind"));
        Files.createSymbolicLink(b.rootfs().resolve("etc/evil"), Path.of("../proc/self"));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().endsWith("cannot be mounted because it is inside /proc\n"), r.err());
        assertFalse(Files.exists(root.resolve(id)));
    }

    @Test
    void theFilesLxcfsEmulatesMayBeCovered() throws Exception {
        Path volume = volume();
        Map<String, Object> p = probe(c -> c.bindMount(volume.toString(), "/proc/uptime", "bind"), "read",
                "/proc/uptime");
        assertEquals("from the host\n", p.get("content"));
    }

    @Test
    void onlyProcfsMayBeMountedOnProcItself() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.addMount("/evilp", "tmpfs", "tmpfs"));
        Files.createSymbolicLink(b.rootfs().resolve("evilp"), Path.of("proc"));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status(), r.err());
        assertEquals("mount /evilp on " + b.rootfs() + "/evilp: \"" + b.rootfs()
                + "/proc\" cannot be mounted because it is not of type proc\n", r.err());
        assertFalse(Files.exists(root.resolve(id)));
    }

    @Test
    void aBindOfAProcfsOntoProcIsAllowed() throws Exception {
        // what a privileged container manager does to share the host's view (runc allows it)
        Map<String, Object> p = probe(c -> c.removeMount("/proc").bindMount("/proc", "/proc", "rbind"), "read",
                "/proc/sys/kernel/ostype");
        assertEquals("Linux\n", p.get("content"));
    }

    @Test
    void nothingMayCoverTheRootfsItself() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.addMount("/escape", "tmpfs", "tmpfs"));
        Files.createSymbolicLink(b.rootfs().resolve("escape"), Path.of("/"));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status(), r.err());
        assertEquals("mount /escape on " + b.rootfs() + "/escape: mountpoint \"" + b.rootfs()
                + "\" is on the top of rootfs \"" + b.rootfs() + "\"\n", r.err());
    }
}
