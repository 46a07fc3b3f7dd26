package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.LinuxDevice;
import dev.jrun.spec.model.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mounts with their options, the default /dev, devices, masked and read-only paths, the root. */
class FilesystemTest extends ContainerTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> mountAt(Map<String, Object> probe, String mountPoint) {
        Map<String, Object> found = null;
        for (Object o : (List<Object>) probe.get("mounts")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (mountPoint.equals(m.get("mount_point"))) {
                found = m; // the last one is the visible one
            }
        }
        return found;
    }

    static List<String> options(Map<String, Object> mount) {
        return List.of(((String) mount.get("options")).split(","));
    }

    @Test
    void mountOptionsAreApplied() throws Exception {
        Map<String, Object> p = probe(c -> c.addMount("/scratch", "tmpfs", "tmpfs", "nosuid", "nodev", "noexec",
                "noatime", "ro", "size=1m", "mode=700"));
        Map<String, Object> m = mountAt(p, "/scratch");
        assertNotNull(m, "mounted");
        assertEquals("tmpfs", m.get("fstype"));
        for (String o : List.of("ro", "nosuid", "nodev", "noexec", "noatime")) {
            assertTrue(options(m).contains(o), o + " in " + m.get("options"));
        }
        assertTrue(((String) m.get("super_options")).contains("size=1024k"), (String) m.get("super_options"));
        assertTrue(((String) m.get("super_options")).contains("mode=700"), (String) m.get("super_options"));
    }

    @Test
    void bindMountsOfDirectoriesAndFilesWithReadOnly() throws Exception {
        Path dir = Files.createDirectories(work.resolve("shared"));
        Files.writeString(dir.resolve("hello"), "hi");
        Path file = Files.writeString(work.resolve("single"), "one");
        Map<String, Object> p = probe(c -> c.bindMount(dir.toString(), "/mnt/shared", "bind", "ro")
                .bindMount(file.toString(), "/etc/single", "bind"), "stat", "/mnt/shared/hello", "/etc/single");
        assertEquals("file", get(p, "/mnt/shared/hello", "type"));
        assertEquals("file", get(p, "/etc/single", "type"));
        Map<String, Object> w = probe(c -> c.bindMount(dir.toString(), "/mnt/shared", "bind", "ro"),
                "write", "/mnt/shared/new", "x");
        assertEquals("EROFS", w.get("errno"));
        assertFalse(Files.exists(dir.resolve("new")));
        Map<String, Object> rw = probe(c -> c.bindMount(dir.toString(), "/mnt/shared", "rbind", "rw"),
                "write", "/mnt/shared/new", "x");
        assertEquals(Boolean.TRUE, rw.get("ok"), rw.toString());
        assertEquals("x", Files.readString(dir.resolve("new")));
    }

    @Test
    void recursiveReadOnlyReachesSubmountsAndPlainReadOnlyDoesNot() throws Exception {
        // the host's /sys/fs/cgroup is a tmpfs with a cgroup filesystem mounted per controller
        Map<String, Object> rro = probe(c -> c.addMount("/view", "bind", "/sys/fs/cgroup", "rbind", "rro"));
        assertTrue(options(mountAt(rro, "/view")).contains("ro"));
        assertTrue(options(mountAt(rro, "/view/memory")).contains("ro"), "rro reaches submounts");
        Map<String, Object> ro = probe(c -> c.addMount("/view", "bind", "/sys/fs/cgroup", "rbind", "ro"));
        assertTrue(options(mountAt(ro, "/view")).contains("ro"));
        assertTrue(options(mountAt(ro, "/view/memory")).contains("rw"), "plain ro is for the top mount only");
    }

    @Test
    void readOnlyRoot() throws Exception {
        Map<String, Object> p = probe(c -> c.readonlyRoot(true), "write", "/newfile", "x");
        assertEquals("EROFS", p.get("errno"));
        Map<String, Object> q = probe(c -> c.readonlyRoot(false), "write", "/tmp/newfile", "x");
        assertEquals(Boolean.TRUE, q.get("ok"));
    }

    @Test
    void defaultDevWhenTheConfigMountsNone() throws Exception {
        Map<String, Object> p = probe(c -> c.removeMount("/dev").removeMount("/dev/pts").removeMount("/dev/shm")
                .removeMount("/dev/mqueue"), "stat", "/dev/null", "/dev/zero", "/dev/full", "/dev/random",
                "/dev/urandom", "/dev/tty", "/dev/ptmx", "/dev/pts/ptmx", "/dev/shm", "/dev/mqueue", "/dev/fd",
                "/dev/stdin", "/dev/stdout", "/dev/stderr");
        for (String dev : List.of("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty")) {
            assertEquals("char", get(p, dev, "type"), dev);
            assertEquals("0666", get(p, dev, "mode_octal"), dev);
        }
        assertEquals(1L, number(get(p, "/dev/zero", "rdev_major")));
        assertEquals(5L, number(get(p, "/dev/zero", "rdev_minor")));
        assertEquals("symlink", get(p, "/dev/ptmx", "type"));
        assertEquals("char", get(p, "/dev/pts/ptmx", "type"));
        assertEquals("dir", get(p, "/dev/shm", "type"));
        assertEquals("dir", get(p, "/dev/mqueue", "type"));
        for (String link : List.of("/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr")) {
            assertEquals("symlink", get(p, link, "type"), link);
        }
        Map<String, Object> mounts = probe(c -> c.removeMount("/dev").removeMount("/dev/pts")
                .removeMount("/dev/shm").removeMount("/dev/mqueue"));
        assertEquals("tmpfs", mountAt(mounts, "/dev").get("fstype"));
        assertEquals("devpts", mountAt(mounts, "/dev/pts").get("fstype"));
        assertEquals("tmpfs", mountAt(mounts, "/dev/shm").get("fstype"));
        assertEquals("mqueue", mountAt(mounts, "/dev/mqueue").get("fstype"));
    }

    @Test
    void configDevicesAreCreated() throws Exception {
        Map<String, Object> p = probe(c -> c.addDevice(new LinuxDevice("/dev/fuse", "c", 10L, 229L, 0600L, 0L, 0L))
                .addDevice(new LinuxDevice("/dev/loopx", "b", 7L, 200L, 0640L, 0L, 6L)), "stat", "/dev/fuse", "/dev/loopx");
        assertEquals("char", get(p, "/dev/fuse", "type"));
        assertEquals(10L, number(get(p, "/dev/fuse", "rdev_major")));
        assertEquals(229L, number(get(p, "/dev/fuse", "rdev_minor")));
        assertEquals("0600", get(p, "/dev/fuse", "mode_octal"));
        assertEquals("block", get(p, "/dev/loopx", "type"));
        assertEquals(6L, number(get(p, "/dev/loopx", "gid")));
    }

    @Test
    void maskedPathsAreNullOrEmptyAndCannotBeUnmasked() throws Exception {
        Map<String, Object> p = probe(c -> c.maskedPaths("/proc/keys", "/sys/firmware", "/proc/nonexistent"),
                "read", "/proc/keys");
        assertEquals(Boolean.TRUE, p.get("ok"));
        assertEquals(0L, number(p.get("size")), "/proc/keys reads as /dev/null");
        Map<String, Object> s = probe(c -> c.maskedPaths("/proc/keys", "/sys/firmware"), "stat", "/proc/keys",
                "/sys/firmware");
        assertEquals(1L, number(get(s, "/proc/keys", "rdev_major")));
        assertEquals(3L, number(get(s, "/proc/keys", "rdev_minor")));
        Map<String, Object> w = probe(c -> c.maskedPaths("/sys/firmware"), "write", "/sys/firmware/x", "y");
        assertEquals("EROFS", w.get("errno"), "an empty read-only tmpfs");
        Map<String, Object> u = probe(c -> c.maskedPaths("/proc/keys"), "mount-umount", "/proc/keys");
        assertEquals("EPERM", u.get("errno"), "without CAP_SYS_ADMIN the mask stays");
        assertEquals(Boolean.TRUE, u.get("still_mounted"));
    }

    @Test
    void readonlyPathsRefuseWrites() throws Exception {
        Map<String, Object> p = probe(c -> c.readonlyPaths("/proc/sys"), "write", "/proc/sys/kernel/domainname", "x");
        assertEquals("EROFS", p.get("errno"));
    }

    @Test
    void noPivotUsesMoveAndChroot() throws Exception {
        String id = newId();
        var b = bundle(id, c -> c.args("/bin/jrun-probe"));
        Map<String, Object> p = jrun("run", "--no-pivot", "--bundle", b.dir().toString(), id).ok().json();
        assertEquals(1L, number(p.get("pid")));
        assertNotNull(mountAt(p, "/proc"));
    }

    @Test
    void rootfsPropagationIsApplied() throws Exception {
        Map<String, Object> shared = probe(c -> c.rootfsPropagation("rshared"));
        assertTrue(((String) mountAt(shared, "/").get("propagation")).contains("shared:"),
                mountAt(shared, "/").toString());
        Map<String, Object> priv = probe(c -> c.rootfsPropagation("rprivate"));
        assertEquals("", mountAt(priv, "/").get("propagation"));
    }

    @Test
    void sysfsAndCgroupsAreMountedReadOnly() throws Exception {
        Map<String, Object> p = probe(c -> { });
        assertTrue(options(mountAt(p, "/sys")).contains("ro"));
        Map<String, Object> cg = mountAt(p, "/sys/fs/cgroup/memory");
        assertNotNull(cg);
        assertTrue(options(cg).contains("ro"));
        assertNull(mountAt(p, "/sys/fs/cgroup/memory/jrun-test"), "only the container's own cgroup is visible");
    }

    @Test
    void mountWithRelativeSourceIsRelativeToTheBundle() throws Exception {
        String id = newId();
        var b = bundle(id, c -> c.args("/bin/jrun-probe", "read", "/data/f")
                .addMount(new Mount("/data", "bind", "data", List.of("bind"), null, null)));
        Files.createDirectories(b.dir().resolve("data"));
        Files.writeString(b.dir().resolve("data/f"), "bundle-relative");
        Map<String, Object> p = jrun("run", "--bundle", b.dir().toString(), id).ok().json();
        assertEquals("bundle-relative", p.get("content"));
    }
}
