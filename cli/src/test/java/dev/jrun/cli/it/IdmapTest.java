package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.spec.model.Mount;
import dev.jrun.testbundles.Bundle;
import dev.jrun.testbundles.ConfigEditor;
import dev.jrun.testbundles.Json;
import dev.jrun.testbundles.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Id-mapped mounts (mounts[].uidMappings/gidMappings, options idmap and ridmap), in the
 * combinations runc 1.3 covers.  Ownership is checked twice: inside, through the probe's stat of
 * files the test owns by known host ids, and on the host, for files written through the mount.
 *
 * A mapping line "containerID hostID size" turns an id stored on disk (containerID + n) into the
 * id hostID + n, which the container then sees through its own user namespace, if it has one.
 */
class IdmapTest extends ContainerTest {
    private static final long OVERFLOW = 65534;

    private static LinuxIDMapping map(long containerId, long hostId, long size) {
        return new LinuxIDMapping(containerId, hostId, size);
    }

    private static Mount idMapped(String source, String dest, List<LinuxIDMapping> uids, List<LinuxIDMapping> gids,
            String... options) {
        return new Mount(dest, "bind", source, List.of(options), uids, gids);
    }

    private static Consumer<ConfigEditor> userns(long hostId) {
        return c -> c.addNamespace("user").uidMappings(map(0, hostId, 65536)).gidMappings(map(0, hostId, 65536));
    }

    /** A directory owned on disk by uid:gid, with a file f owned by fileUid:fileGid. */
    private Path source(String name, long uid, long gid, long fileUid, long fileGid) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Files.writeString(dir.resolve("f"), "data\n");
        own(dir.resolve("f"), fileUid, fileGid);
        own(dir, uid, gid);
        return dir;
    }

    private static void own(Path p, long uid, long gid) throws IOException {
        Files.setAttribute(p, "unix:uid", (int) uid);
        Files.setAttribute(p, "unix:gid", (int) gid);
    }

    private static long[] owner(Path p) throws IOException {
        return new long[] {((Number) Files.getAttribute(p, "unix:uid")).longValue(),
                ((Number) Files.getAttribute(p, "unix:gid")).longValue()};
    }

    /**
     * Runs a shell script in a new container; each line of the script that runs the probe
     * prints one JSON object, returned in order.
     */
    private List<Map<String, Object>> run(Consumer<ConfigEditor> edits, String script)
            throws IOException, InterruptedException {
        return run(edits, b -> { }, script);
    }

    private interface BundleSetUp {
        void accept(Bundle b) throws IOException;
    }

    private List<Map<String, Object>> run(Consumer<ConfigEditor> edits, BundleSetUp setUp, String script)
            throws IOException, InterruptedException {
        String id = newId();
        Bundle b = bundle(id, c -> {
            c.args("/bin/sh", "-c", script.replace("PROBE", Probe.IN_CONTAINER));
            edits.accept(c);
        });
        setUp.accept(b);
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.startsWith("{")) {
                out.add(Json.parseObject(line));
            }
        }
        if (out.isEmpty()) {
            fail("no probe report: jrun exited " + r.status() + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        }
        return out;
    }

    /** The user namespace's root may not write the host-owned rootfs: its mount points must exist. */
    private static BundleSetUp mountPoints(String... names) {
        return b -> {
            for (String n : names) {
                Files.createDirectories(b.rootfs().resolve(n));
            }
        };
    }

    private static void assertOwner(Map<String, Object> stat, String path, long uid, long gid) {
        Map<String, Object> s = get(stat, path);
        assertTrue(s != null && s.get("uid") != null, path + " not stat'ed: " + stat);
        assertEquals(List.of(uid, gid), List.of(number(s.get("uid")), number(s.get("gid"))), "owner of " + path);
    }

    private static void assertOwnerOnDisk(Path p, long uid, long gid) throws IOException {
        assertEquals(List.of(uid, gid), List.of(owner(p)[0], owner(p)[1]), "owner on disk of " + p);
    }

    /** No user namespace: the mount's mapping alone decides, and the container's root writes as the mapped id. */
    @Test
    void withoutAUserNamespace() throws Exception {
        Path src = source("plain", 1000, 1000, 1005, 1006);
        List<Map<String, Object>> r = run(c -> c.addMount(idMapped(src.toString(), "/m",
                List.of(map(1000, 0, 10)), List.of(map(1000, 0, 10)), "bind", "idmap")),
                "echo hi > /m/new; PROBE stat /m /m/f /m/new");
        assertOwner(r.get(0), "/m", 0, 0);
        assertOwner(r.get(0), "/m/f", 5, 6);
        assertOwner(r.get(0), "/m/new", 0, 0);
        assertOwnerOnDisk(src.resolve("new"), 1000, 1000);
    }

    /** A single file can be the source, as for any bind; mappings without idmap/ridmap are runc's idmap. */
    @Test
    void aFileSourceAndMappingsWithoutAnOption() throws Exception {
        Path src = source("file", 1000, 1000, 1007, 1008);
        List<LinuxIDMapping> m = List.of(map(1000, 0, 10));
        List<Map<String, Object>> r = run(c -> c.addMount(idMapped(src.resolve("f").toString(), "/f", m, m, "bind"))
                        .addMount(idMapped(src.toString(), "/d", m, m, "rbind")),
                "PROBE stat /f /d/f");
        assertOwner(r.get(0), "/f", 7, 8);
        assertOwner(r.get(0), "/d/f", 7, 8);
    }

    /** The Kubernetes case: no mappings given, so the container's own; ids outside them show as the overflow id. */
    @Test
    void impliedFromTheContainersUserNamespace() throws Exception {
        Path src = source("implied", 0, 0, 1234, 1235);
        Files.writeString(src.resolve("far"), "x");
        own(src.resolve("far"), 70000, 70000);
        List<Map<String, Object>> r = run(userns(100000).andThen(c -> c.addMount(
                idMapped(src.toString(), "/m", null, null, "rbind", "ridmap"))), mountPoints("m"),
                "echo hi > /m/new; PROBE stat /m /m/f /m/far /m/new");
        assertOwner(r.get(0), "/m", 0, 0);
        assertOwner(r.get(0), "/m/f", 1234, 1235);
        assertOwner(r.get(0), "/m/far", OVERFLOW, OVERFLOW);
        assertOwner(r.get(0), "/m/new", 0, 0);
        assertOwnerOnDisk(src.resolve("new"), 0, 0);
    }

    /** The mount's mappings need not be the container's: ids land where the mount's mapping puts them. */
    @Test
    void mappingsThatDoNotMatchTheContainers() throws Exception {
        Path src = source("other", 0, 0, 7, 8);
        List<Map<String, Object>> r = run(userns(100000).andThen(c -> c.user(500, 500).addMount(
                idMapped(src.toString(), "/m", List.of(map(0, 100500, 100)), List.of(map(0, 100500, 100)),
                        "bind", "idmap"))), mountPoints("m"),
                "echo hi > /m/new; PROBE stat /m /m/f /m/new");
        assertOwner(r.get(0), "/m", 500, 500);
        assertOwner(r.get(0), "/m/f", 507, 508);
        assertOwner(r.get(0), "/m/new", 500, 500);
        assertOwnerOnDisk(src.resolve("new"), 0, 0);
    }

    /** Several mounts of one source, each with its own mapping, beside a plain bind of it. */
    @Test
    void severalMountsWithDifferentMappings() throws Exception {
        Path src = source("several", 1000, 1000, 1003, 1003);
        List<Map<String, Object>> r = run(c -> c.addMount(idMapped(src.toString(), "/a",
                        List.of(map(1000, 0, 10)), List.of(map(1000, 0, 10)), "bind", "idmap"))
                .addMount(idMapped(src.toString(), "/b", List.of(map(1000, 500, 10)), List.of(map(1000, 600, 10)),
                        "bind", "idmap"))
                .bindMount(src.toString(), "/c", "bind"),
                "PROBE stat /a/f /b/f /c/f");
        assertOwner(r.get(0), "/a/f", 3, 3);
        assertOwner(r.get(0), "/b/f", 503, 603);
        assertOwner(r.get(0), "/c/f", 1003, 1003);
    }

    /** Read-only and id-mapped: the owners are mapped, writes refused. */
    @Test
    void readOnly() throws Exception {
        Path src = source("ro", 1000, 1000, 1001, 1002);
        List<Map<String, Object>> r = run(c -> c.addMount(idMapped(src.toString(), "/m",
                List.of(map(1000, 0, 10)), List.of(map(1000, 0, 10)), "bind", "ro", "idmap")),
                "PROBE write /m/new hi; PROBE stat /m/f");
        assertEquals(false, r.get(0).get("ok"), r.get(0).toString());
        assertEquals("EROFS", r.get(0).get("errno"), r.get(0).toString());
        assertOwner(r.get(1), "/m/f", 1, 2);
        assertTrue(Files.notExists(src.resolve("new")));
    }

    /**
     * rbind + idmap maps the top mount only, rbind + ridmap every mount of the tree, and a
     * plain bind brings no submount at all.  The submount is a tmpfs (id-mappable since 6.3).
     */
    @Test
    void recursiveAndNonRecursive() throws Exception {
        Path src = source("tree", 1000, 1000, 1001, 1001);
        Path sub = Files.createDirectories(src.resolve("sub"));
        exec(null, List.of("mount", "-t", "tmpfs", "-o", "mode=755", "idmap-sub", sub.toString()), 30).ok();
        try {
            Files.writeString(sub.resolve("g"), "x");
            own(sub.resolve("g"), 1002, 1002);
            List<LinuxIDMapping> m = List.of(map(1000, 0, 10));
            List<Map<String, Object>> r = run(c -> c
                    .addMount(idMapped(src.toString(), "/top", m, m, "rbind", "idmap"))
                    .addMount(idMapped(src.toString(), "/all", m, m, "rbind", "ridmap"))
                    .addMount(idMapped(src.toString(), "/one", m, m, "bind", "idmap")),
                    "PROBE stat /top/f /top/sub/g /all/f /all/sub/g /one/f /one/sub/g");
            assertOwner(r.get(0), "/top/f", 1, 1);
            assertOwner(r.get(0), "/top/sub/g", 1002, 1002);
            assertOwner(r.get(0), "/all/f", 1, 1);
            assertOwner(r.get(0), "/all/sub/g", 2, 2);
            assertOwner(r.get(0), "/one/f", 1, 1);
            assertEquals("ENOENT", get(r.get(0), "/one/sub/g", "errno"), "a plain bind has no submounts");
        } finally {
            exec(null, List.of("umount", "-l", sub.toString()), 30);
        }
    }

    /** Mounts a filesystem of that type on mnt, with what it needs in the work directory. */
    private void mountFs(String fs, Path mnt) throws Exception {
        List<String> mount = switch (fs) {
            case "ext4" -> {
                Path image = work.resolve("ext4.img");
                exec(null, List.of("truncate", "-s", "64M", image.toString()), 30).ok();
                exec(null, List.of("mkfs.ext4", "-q", "-F", image.toString()), 120).ok();
                yield List.of("mount", "-o", "loop", image.toString(), mnt.toString());
            }
            case "overlay" -> {
                Path lower = Files.createDirectories(work.resolve("ovl-lower"));
                Path upper = Files.createDirectories(work.resolve("ovl-upper"));
                Path ovlWork = Files.createDirectories(work.resolve("ovl-work"));
                yield List.of("mount", "-t", "overlay", "idmap-overlay", "-o", "lowerdir=" + lower + ",upperdir=" + upper
                        + ",workdir=" + ovlWork, mnt.toString());
            }
            default -> List.of("mount", "-t", fs, "idmap-" + fs, mnt.toString());
        };
        exec(null, mount, 60).ok();
    }

    private static void unmount(Path mnt) throws Exception {
        // not lazily first: a loop device is released only once its filesystem is
        if (exec(null, List.of("umount", mnt.toString()), 60).status() != 0) {
            exec(null, List.of("umount", "-l", mnt.toString()), 60);
        }
    }

    /**
     * Sources on filesystems that can be id-mapped (/tmp, where the other tests' sources are,
     * is one more): a file owned by 1001:1002 and the directory by 1000:1000, seen through the
     * mapping 1000 -> 0 and written through it.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tmpfs", "ext4"})
    void filesystemsTheKernelAllows(String fs) throws Exception {
        Path mnt = Files.createDirectories(work.resolve("fs-" + fs));
        mountFs(fs, mnt);
        try {
            Files.writeString(mnt.resolve("f"), "data\n");
            own(mnt.resolve("f"), 1001, 1002);
            own(mnt, 1000, 1000);
            List<LinuxIDMapping> m = List.of(map(1000, 0, 10));
            List<Map<String, Object>> r = run(c -> c.addMount(idMapped(mnt.toString(), "/m", m, m, "bind", "idmap")),
                    "echo hi > /m/new; PROBE stat /m/f /m/new");
            assertOwner(r.get(0), "/m/f", 1, 2);
            assertOwner(r.get(0), "/m/new", 0, 0);
            assertOwnerOnDisk(mnt.resolve("new"), 1000, 1000);
        } finally {
            unmount(mnt);
        }
    }

    /** Joining another container's user namespace: an idmap mount without mappings is mapped by that namespace. */
    @Test
    void joinedUserNamespace() throws Exception {
        String first = newId();
        Bundle a = bundle(first, userns(200000).andThen(c -> c.args(Probe.IN_CONTAINER, "sleep", "60")));
        jrun("run", "-d", "--bundle", a.dir().toString(), first).ok();
        long pid = number(jrun("state", first).ok().json().get("pid"));
        Path src = source("joined", 0, 0, 1234, 1235);
        List<Map<String, Object>> r = run(c -> c.namespace("user", "/proc/" + pid + "/ns/user").uidMappings()
                .gidMappings().addMount(idMapped(src.toString(), "/m", null, null, "bind", "idmap"))
                .bindMount(src.toString(), "/plain", "bind"), mountPoints("m", "plain"),
                "echo hi > /m/new; PROBE stat /m/f /m/new /plain/f; PROBE info");
        assertOwner(r.get(0), "/m/f", 1234, 1235);
        assertOwner(r.get(0), "/m/new", 0, 0);
        // without the mapping the same file is out of the namespace's range
        assertOwner(r.get(0), "/plain/f", OVERFLOW, OVERFLOW);
        assertOwnerOnDisk(src.resolve("new"), 0, 0);
        assertEquals(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/user")).toString(),
                get(r.get(1), "namespaces", "user"));
    }

    /**
     * Filesystems the kernel does not id-map (ramfs; overlayfs takes id-mapped layers but is
     * not id-mappable itself, as of 6.18): the error names the mount and says why.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ramfs", "overlay"})
    void aFilesystemWithoutIdMapSupportIsRefusedClearly(String fs) throws Exception {
        Path dir = Files.createDirectories(work.resolve("fs-" + fs));
        mountFs(fs, dir);
        try {
            String id = newId();
            Bundle b = bundle(id, c -> c.args("true").addMount(idMapped(dir.toString(), "/m",
                    List.of(map(0, 1000, 10)), List.of(map(0, 1000, 10)), "bind", "idmap")));
            Result r = jrun("run", "--bundle", b.dir().toString(), id);
            assertNotEquals(0, r.status());
            assertEquals("id-mapped mount of " + dir + " on /m: the kernel refused to id-map it (invalid argument):"
                    + " the filesystem of the source does not support id-mapped mounts on this kernel\n", r.err());
            assertTrue(r.log().contains("does not support id-mapped mounts"), r.log());
        } finally {
            unmount(dir);
        }
    }

    /** The destination resolves inside the rootfs and stays out of /proc, as for every bind. */
    @Test
    void theMountPointRulesStillApply() throws Exception {
        Path src = source("guard", 0, 0, 0, 0);
        List<LinuxIDMapping> m = List.of(map(0, 1000, 10));
        String id = newId();
        Bundle b = bundle(id, c -> c.args("true").addMount(idMapped(src.toString(), "/proc/sys/kernel", m, m,
                "bind", "idmap")));
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        assertNotEquals(0, r.status());
        assertEquals("mount " + src + " on " + b.rootfs() + "/proc/sys/kernel: \"" + b.rootfs()
                + "/proc/sys/kernel\" cannot be mounted because it is inside /proc\n", r.err());

        // a symlink out of the rootfs is followed inside it, never to the host's directory
        Path outside = Files.createDirectories(work.resolve("outside"));
        List<Map<String, Object>> p = run(c -> c.addMount(idMapped(src.toString(), "/escape", m, m, "bind", "idmap")),
                bundle -> Files.createSymbolicLink(bundle.rootfs().resolve("escape"), outside),
                "PROBE stat " + outside + "/f");
        assertOwner(p.get(0), outside + "/f", 1000, 1000);
        assertTrue(Files.notExists(outside.resolve("f")), "nothing was mounted on the host");
    }
}
