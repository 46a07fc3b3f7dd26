package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.testbundles.Bundle;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mounts and the root filesystem as runc 1.3 sets them up: bundles that run under runc and
 * were refused, or set up differently, by jrun (one test per case of the drop-in issue).
 */
class RuncMountsTest extends ContainerTest {

    /** A process holding namespaces of its own (unshare flags) until the test ends. */
    private Process holder(String... unshareFlags) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("unshare"));
        cmd.addAll(java.util.List.of(unshareFlags));
        cmd.addAll(java.util.List.of("sh", "-c", "echo ready; exec sleep 120"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertEquals("ready", new BufferedReader(new InputStreamReader(p.getInputStream())).readLine());
        return p;
    }

    private static boolean hostHasMountUnder(Path dir) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            if (line.split(" ")[4].startsWith(dir.toString() + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Case 11: a joined mount namespace gets the bundle's rootfs, not its own /. */
    @Test
    void aJoinedMountNamespaceGetsTheBundlesRootfs() throws Exception {
        Process ns = holder("--mount", "--propagation", "private");
        try {
            String id = newId();
            Bundle b = bundle(id, c -> c.namespace("mount", "/proc/" + ns.pid() + "/ns/mnt")
                    .args("/bin/jrun-probe", "read", "/rootfs-marker"));
            Files.writeString(b.rootfs().resolve("rootfs-marker"), "the bundle's\n");
            Result r = jrun("run", "--bundle", b.dir().toString(), id);
            assertEquals(0, r.status(), r.err());
            assertEquals("the bundle's\n", r.json().get("content"));
        } finally {
            ns.destroyForcibly().waitFor();
        }
    }

    /** Case 2: no mount namespace: the caller's, chroot into the rootfs, nothing left after delete. */
    @Test
    void withoutAMountNamespaceTheContainerIsChrootedAndLeavesNoMounts() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.removeNamespace("mount").maskedPaths().readonlyPaths().readonlyRoot(false)
                .args("/bin/jrun-probe"));
        Files.writeString(b.rootfs().resolve("rootfs-marker"), "x");
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.status(), r.err());
        Map<String, Object> p = r.json();
        assertEquals(hostNamespace("mnt"), get(p, "namespaces", "mnt"), "the caller's mount namespace");
        assertEquals("proc", FilesystemTest.mountAt(p, "/proc").get("fstype"), "its /proc is its own procfs");
        assertFalse(hostHasMountUnder(b.rootfs()), "delete removed every mount the container made");
        assertFalse(Files.exists(root.resolve(id)));
    }

    @Test
    void withoutAMountNamespaceAReadOnlyRootIsRefused() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.removeNamespace("mount").maskedPaths().readonlyPaths().readonlyRoot(true));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status());
        assertEquals("config.json: root.readonly: needs a mount namespace in linux.namespaces\n", r.err());
    }

    /** Case 10: a joined user namespace with a network namespace it does not own. */
    @Test
    void aJoinedUserNamespaceWithAHostOwnedNetworkNamespace() throws Exception {
        Process net = holder("--net");
        try {
            String first = newId();
            Bundle a = bundle(first, c -> c.addNamespace("user").uidMappings(new LinuxIDMapping(0L, 100000L, 65536L))
                    .gidMappings(new LinuxIDMapping(0L, 100000L, 65536L)).args("/bin/jrun-probe", "sleep", "60"));
            jrun("run", "-d", "--bundle", a.dir().toString(), first).ok();
            long pid = number(jrun("state", first).ok().json().get("pid"));
            String userns = "/proc/" + pid + "/ns/user";
            // sysfs cannot be mounted for a network namespace the user namespace does not own: the
            // host's /sys is bound instead, as `runc spec --rootless` configs do
            Map<String, Object> p = probe(c -> c.namespace("user", userns).uidMappings().gidMappings()
                    .namespace("network", "/proc/" + net.pid() + "/ns/net").removeMount("/sys")
                    .removeMount("/sys/fs/cgroup").bindMount("/sys", "/sys", "rbind", "nosuid", "noexec", "nodev", "ro"));
            assertEquals(Files.readSymbolicLink(Path.of(userns)).toString(), get(p, "namespaces", "user"));
            assertEquals(Files.readSymbolicLink(Path.of("/proc/" + net.pid() + "/ns/net")).toString(),
                    get(p, "namespaces", "net"));
            assertEquals(0L, number(p.get("uid")), "root of the joined user namespace");
        } finally {
            net.destroyForcibly().waitFor();
        }
    }

    /** Case 9: joining another container's user namespace, whose ids the default /dev must live with. */
    @Test
    void joiningAnotherContainersUserNamespaceSetsUpDev() throws Exception {
        String first = newId();
        Bundle a = bundle(first, c -> c.addNamespace("user").uidMappings(new LinuxIDMapping(0L, 200000L, 65536L))
                .gidMappings(new LinuxIDMapping(0L, 200000L, 65536L)).args("/bin/jrun-probe", "sleep", "60"));
        jrun("run", "-d", "--bundle", a.dir().toString(), first).ok();
        long pid = number(jrun("state", first).ok().json().get("pid"));
        Map<String, Object> p = probe(c -> c.namespace("user", "/proc/" + pid + "/ns/user").uidMappings()
                .gidMappings(), "stat", "/dev/pts/ptmx", "/dev/null");
        assertEquals("char", get(p, "/dev/pts/ptmx", "type"));
        assertEquals("char", get(p, "/dev/null", "type"));
    }

    /** Case 1: filesystem data on a bind mount is accepted (the kernel ignores it). */
    @Test
    void filesystemOptionsOnABindMountAreAccepted() throws Exception {
        Path dir = Files.createDirectories(work.resolve("shared"));
        Files.writeString(dir.resolve("f"), "x");
        Map<String, Object> p = probe(c -> c.bindMount(dir.toString(), "/data", "nosuid", "strictatime", "mode=755",
                "size=1k", "bind", "shared"), "stat", "/data/f");
        assertEquals("file", get(p, "/data/f", "type"));
    }

    /** Case 4: destinations through dangling symlinks are made where the links point, inside the rootfs. */
    @Test
    void destinationsThroughDanglingSymlinksAreMadeInsideTheRootfs() throws Exception {
        Path hosts = Files.writeString(work.resolve("hosts"), "127.0.0.1 localhost\n");
        String id = newId();
        Bundle b = bundle(id, c -> c.bindMount(hosts.toString(), "/etc/hosts", "bind", "ro")
                .addMount("/data/sub", "tmpfs", "tmpfs").args("/bin/jrun-probe", "read", "/etc/hosts"));
        Files.deleteIfExists(b.rootfs().resolve("etc/hosts"));
        Files.createSymbolicLink(b.rootfs().resolve("etc/hosts"), Path.of("/tmp/foo/bar/baz/hosts"));
        Files.createSymbolicLink(b.rootfs().resolve("data"), Path.of("/missing/dir"));
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.status(), r.err());
        assertEquals("127.0.0.1 localhost\n", r.json().get("content"));
        assertTrue(Files.isRegularFile(b.rootfs().resolve("tmp/foo/bar/baz/hosts")));
        assertTrue(Files.isDirectory(b.rootfs().resolve("missing/dir/sub")));
    }

    /** Case 5: a missing cwd is made. */
    @Test
    void aMissingCwdIsMade() throws Exception {
        Map<String, Object> p = probe(c -> c.cwd("/does/not/exist"));
        assertEquals("/does/not/exist", p.get("cwd"));
    }

    /** Case 7: a read-only /dev still gets its devices and mount points, then turns read-only. */
    @Test
    void aReadOnlyDevGetsItsDevicesFirst() throws Exception {
        Map<String, Object> p = probe(c -> c.mountOptions("/dev", "nosuid", "strictatime", "mode=755",
                "size=65536k", "ro"), "stat", "/dev/null", "/dev/pts/ptmx");
        assertEquals("char", get(p, "/dev/null", "type"));
        assertEquals("char", get(p, "/dev/pts/ptmx", "type"));
        Map<String, Object> info = probe(c -> c.mountOptions("/dev", "nosuid", "mode=755", "ro"));
        assertTrue(FilesystemTest.options(FilesystemTest.mountAt(info, "/dev")).contains("ro"));
    }

    /** Case 13: a tmpfs over an existing directory takes its mode, unless the config gives one. */
    @Test
    void aTmpfsTakesTheModeOfTheDirectoryItCovers() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.addMount("/sticky", "tmpfs", "tmpfs").addMount("/private", "tmpfs", "tmpfs")
                .addMount("/given", "tmpfs", "tmpfs", "mode=700")
                .args("/bin/jrun-probe", "stat", "/sticky", "/private", "/given"));
        for (String d : java.util.List.of("sticky", "private", "given")) {
            Files.createDirectories(b.rootfs().resolve(d));
        }
        Files.setPosixFilePermissions(b.rootfs().resolve("private"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x---"));
        assertEquals(0, exec(null, java.util.List.of("chmod", "7777", b.rootfs().resolve("sticky").toString()), 10)
                .status());
        Map<String, Object> p = jrun("run", "--bundle", b.dir().toString(), id).ok().json();
        assertEquals("7777", get(p, "/sticky", "mode_octal"));
        assertEquals("0710", get(p, "/private", "mode_octal"));
        assertEquals("0700", get(p, "/given", "mode_octal"));
    }

    /** Case 17: createContainer hooks run in the container's root. */
    @Test
    void createContainerHooksRunInTheContainersRoot() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.addHook("createContainer", new dev.jrun.spec.model.Hook("/bin/sh",
                java.util.List.of("sh", "-c", "touch ./hook-was-here"), null, null)));
        jrun("create", "--bundle", b.dir().toString(), id).ok();
        assertTrue(Files.exists(b.rootfs().resolve("hook-was-here")));
    }

    /** Case 18: rootfsPropagation unbindable (runc fails here with EINVAL). */
    @Test
    void anUnbindableRootfsPropagationWorks() throws Exception {
        Map<String, Object> p = probe(c -> c.rootfsPropagation("unbindable"));
        assertTrue(((String) FilesystemTest.mountAt(p, "/").get("propagation")).contains("unbindable"),
                FilesystemTest.mountAt(p, "/").toString());
    }

    /**
     * Case 12: a bind's options as runc 1.3 applies them to a source mounted
     * ro,nosuid,nodev,noexec,noatime,nosymfollow: no flag option keeps the source's flags; any
     * flag option remounts with exactly the flags asked for; the atime mode stays unless an
     * atime option other than "atime" is given.
     */
    @Test
    void bindFlagsAreSetAsRuncSetsThem() throws Exception {
        Path src = Files.createDirectories(work.resolve("locked-src"));
        assertEquals(0, exec(null, java.util.List.of("mount", "-t", "tmpfs", "-o",
                "ro,nosuid,nodev,noexec,noatime,nosymfollow", "tmpfs", src.toString()), 10).status());
        try {
            Map<String, java.util.List<String>> cases = new java.util.LinkedHashMap<>();
            cases.put("/keep", java.util.List.of("bind"));
            cases.put("/dev-only", java.util.List.of("bind", "dev"));
            cases.put("/nosuid-nodev", java.util.List.of("bind", "nosuid", "nodev"));
            cases.put("/plain-ro", java.util.List.of("bind", "ro"));
            cases.put("/all-cleared", java.util.List.of("bind", "rw", "exec", "suid", "symfollow", "atime"));
            cases.put("/relatime", java.util.List.of("bind", "relatime"));
            cases.put("/strictatime", java.util.List.of("bind", "strictatime"));
            Map<String, Object> p = probe(c -> cases.forEach((dest, opts) ->
                    c.bindMount(src.toString(), dest, opts.toArray(new String[0]))));
            assertOptions(p, "/keep", "ro", "nosuid", "nodev", "noexec", "noatime", "nosymfollow");
            assertOptions(p, "/dev-only", "rw", "noatime");
            assertOptions(p, "/nosuid-nodev", "rw", "nosuid", "nodev", "noatime");
            assertOptions(p, "/plain-ro", "ro", "noatime");
            assertOptions(p, "/all-cleared", "rw", "noatime");
            assertOptions(p, "/relatime", "rw", "relatime");
            assertOptions(p, "/strictatime", "rw");
        } finally {
            exec(null, java.util.List.of("umount", src.toString()), 10);
        }
    }

    /** In a user namespace the source's flags are locked: kept unless the config clears one by name. */
    @Test
    void lockedFlagsAreKeptUnlessClearedByName() throws Exception {
        Path src = Files.createDirectories(work.resolve("locked-src-userns"));
        assertEquals(0, exec(null, java.util.List.of("mount", "-t", "tmpfs", "-o", "ro,nosuid,nodev,noexec", "tmpfs",
                src.toString()), 10).status());
        try {
            java.util.function.Consumer<dev.jrun.testbundles.ConfigEditor> userns = c -> c.addNamespace("user")
                    .uidMappings(new LinuxIDMapping(0L, 100000L, 65536L))
                    .gidMappings(new LinuxIDMapping(0L, 100000L, 65536L));
            // the mount points exist: the user namespace's root may not write the host-owned rootfs
            String kept = newId();
            Bundle k = bundle(kept, userns.andThen(c -> c.bindMount(src.toString(), "/kept", "bind", "nosuid")
                    .args("/bin/jrun-probe")));
            Files.createDirectories(k.rootfs().resolve("kept"));
            Map<String, Object> p = jrun("run", "--bundle", k.dir().toString(), kept).ok().json();
            assertOptions(p, "/kept", "ro", "nosuid", "nodev", "noexec", "relatime");
            String id = newId();
            Bundle b = bundle(id, userns.andThen(c -> c.bindMount(src.toString(), "/cleared", "bind", "rw")));
            Files.createDirectories(b.rootfs().resolve("cleared"));
            Result r = jrun("create", "--bundle", b.dir().toString(), id);
            assertEquals(1, r.status());
            assertTrue(r.err().endsWith("cannot clear locked flags ro: operation not permitted\n"), r.err());
            assertFalse(Files.exists(root.resolve(id)));
        } finally {
            exec(null, java.util.List.of("umount", src.toString()), 10);
        }
    }

    /** Case 14: a source inside the rootfs that an earlier mount of the config covers is seen covered. */
    @Test
    void sourcesInsideTheRootfsResolveInConfigOrder() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.addMount("/x", "tmpfs", "tmpfs").bindMount(b0(id).toString(), "/y", "bind")
                .args("/bin/jrun-probe", "stat", "/y/underneath", "/x/underneath"));
        Files.createDirectories(b.rootfs().resolve("x"));
        Files.writeString(b.rootfs().resolve("x/underneath"), "hidden by the tmpfs");
        Map<String, Object> p = jrun("run", "--bundle", b.dir().toString(), id).ok().json();
        assertEquals("ENOENT", get(p, "/x/underneath", "errno"));
        assertEquals("ENOENT", get(p, "/y/underneath", "errno"), "/y is the tmpfs, mounted first");
    }

    /** Where bundle(id, ...) puts the rootfs's /x. */
    private Path b0(String id) {
        return work.resolve("bundle-" + id).resolve("rootfs").resolve("x");
    }

    /** Case 8: a bind source only the host's root may open is opened by the runtime and handed in. */
    @Test
    void aSourceTheUserNamespaceMayNotOpenIsHandedIn() throws Exception {
        Path secret = Files.createDirectories(work.resolve("secret"));
        Files.writeString(secret.resolve("f"), "x");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        String id = newId();
        Bundle b = bundle(id, c -> c.addNamespace("user").uidMappings(new LinuxIDMapping(0L, 100000L, 65536L))
                .gidMappings(new LinuxIDMapping(0L, 100000L, 65536L)).bindMount(secret.toString(), "/secret", "bind")
                .args("/bin/jrun-probe", "stat", "/secret"));
        Files.createDirectories(b.rootfs().resolve("secret"));
        Map<String, Object> p = jrun("run", "--bundle", b.dir().toString(), id).ok().json();
        assertEquals("dir", get(p, "/secret", "type"));
        assertEquals("0700", get(p, "/secret", "mode_octal"), "the host directory itself, not the mount point");
    }

    /** Case 15: masked directories share one read-only tmpfs. */
    @Test
    void maskedDirectoriesShareOneTmpfs() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.maskedPaths("/secret-a", "/secret-b", "/proc/kcore")
                .args("/bin/jrun-probe", "stat", "/secret-a", "/secret-b"));
        Files.createDirectories(b.rootfs().resolve("secret-a"));
        Files.createDirectories(b.rootfs().resolve("secret-b"));
        Map<String, Object> p = jrun("run", "--bundle", b.dir().toString(), id).ok().json();
        assertEquals(number(get(p, "/secret-a", "dev_minor")), number(get(p, "/secret-b", "dev_minor")), "one superblock");
        assertEquals(number(get(p, "/secret-a", "dev_major")), number(get(p, "/secret-b", "dev_major")));
    }

    /** Case 16: with --no-pivot, no fully visible procfs is left for a nested namespace to mount anew. */
    @Test
    void noPivotLeavesNoProcfsToMountAnew() throws Exception {
        String id = newId();
        // docker's default capabilities: enough to map root in a nested user namespace
        Bundle b = bundle(id, c -> c.capabilities("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP",
                "CAP_SETUID", "CAP_SETGID", "CAP_SYS_CHROOT", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER")
                .args("/bin/sh", "-c", "unshare -mrpf sh -c 'mount -t proc none /proc; echo mounted=$?' 2>&1"));
        Result r = jrun("run", "--no-pivot", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("permission denied"), r.out());
        assertTrue(r.out().contains("mounted=1"), "the nested procfs mount was refused: " + r.out());
    }

    /** Case 3: tmpcopyup fills a new tmpfs with what the directory held: owners, modes, xattrs, links. */
    @Test
    void tmpcopyupCopiesTheDirectoryIntoTheTmpfs() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.addMount("/data", "tmpfs", "tmpfs", "tmpcopyup", "nosuid")
                .args("/bin/sh", "-c", "/bin/jrun-probe stat /data/f /data/sub/g /data/link /data;"
                        + " /bin/jrun-probe getxattr /data/sub/g user.origin; /bin/jrun-probe read /data/sub/g;"
                        + " echo written > /data/new"));
        Path data = Files.createDirectories(b.rootfs().resolve("data/sub"));
        Path f = Files.writeString(b.rootfs().resolve("data/f"), "file");
        Files.writeString(data.resolve("g"), "nested");
        Files.createSymbolicLink(b.rootfs().resolve("data/link"), Path.of("/nowhere"));
        assertEquals(0, exec(null, java.util.List.of("chown", "1234:5678", f.toString()), 10).status());
        assertEquals(0, exec(null, java.util.List.of("chmod", "640", f.toString()), 10).status());
        assertEquals(0, exec(null, java.util.List.of("chmod", "750", b.rootfs().resolve("data").toString()), 10)
                .status());
        // on a file root owns: the container's root has no CAP_DAC_OVERRIDE to read 1234's
        java.nio.file.attribute.UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(data.resolve("g"),
                java.nio.file.attribute.UserDefinedFileAttributeView.class);
        xattrs.write("origin", java.nio.ByteBuffer.wrap("image".getBytes()));
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.status(), r.err());
        String[] reports = r.out().trim().split("\n");
        Map<String, Object> stat = dev.jrun.testbundles.Json.parseObject(reports[0]);
        assertEquals(1234L, number(get(stat, "/data/f", "uid")));
        assertEquals(5678L, number(get(stat, "/data/f", "gid")));
        assertEquals("0640", get(stat, "/data/f", "mode_octal"));
        assertEquals("file", get(stat, "/data/sub/g", "type"));
        assertEquals("/nowhere", get(stat, "/data/link", "link_target"));
        assertEquals("0750", get(stat, "/data", "mode_octal"));
        assertEquals("image", dev.jrun.testbundles.Json.parseObject(reports[1]).get("value"), r.out());
        assertEquals("nested", dev.jrun.testbundles.Json.parseObject(reports[2]).get("content"));
        assertFalse(Files.exists(b.rootfs().resolve("data/new")), "writes went to the tmpfs");
    }

    private static void assertOptions(Map<String, Object> probe, String mountPoint, String... expected) {
        java.util.Set<String> got = new java.util.TreeSet<>(FilesystemTest.options(FilesystemTest.mountAt(probe, mountPoint)));
        assertEquals(new java.util.TreeSet<>(java.util.List.of(expected)), got, mountPoint);
    }
}
