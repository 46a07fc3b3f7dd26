package dev.jrun.spec;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.LinuxCapabilities;
import dev.jrun.spec.model.LinuxDeviceCgroup;
import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.spec.model.LinuxNamespace;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.Mount;
import dev.jrun.spec.model.POSIXRlimit;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Root;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The starter config.json of {@code jrun spec}: what runc 1.5.1 (its newest release, whose
 * libcontainer/specconv example is unchanged on its main branch) writes for {@code runc spec} and
 * {@code runc spec --rootless}, except that {@code ociVersion} is the version jrun implements.
 * Written with {@link SpecWriter} in {@link dev.jrun.spec.json.JsonStyle#TABS}, it is
 * byte-identical to runc's file.
 *
 * <p>Compared with older runc (1.1.x), the process keeps no ambient capabilities. Two parts
 * depend on the host, as in runc: a cgroup namespace is added on a cgroup v2 (unified) host, and
 * the rootless variant maps container root to the caller's effective uid and gid.
 */
public final class DefaultSpec {
    private static final List<String> CAPS =
            List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    private DefaultSpec() {}

    /** runc's default for this host: cgroup mode and (rootless) ids are detected from /sys, /proc. */
    public static Spec runc(boolean rootless) {
        long[] ids = rootless ? effectiveIds() : new long[] {0, 0};
        return runc(rootless, isCgroup2Unified(), ids[0], ids[1]);
    }

    /**
     * runc's default with the host-dependent parts given.
     *
     * @param cgroupNamespace add a cgroup namespace, as runc does on a cgroup v2 host
     * @param hostUid the host uid container root maps to (rootless only)
     * @param hostGid the host gid container root maps to (rootless only)
     */
    public static Spec runc(boolean rootless, boolean cgroupNamespace, long hostUid, long hostGid) {
        List<LinuxNamespace> namespaces = new ArrayList<>();
        namespaces.add(new LinuxNamespace("pid", null));
        if (!rootless) {
            namespaces.add(new LinuxNamespace("network", null));
        }
        namespaces.add(new LinuxNamespace("ipc", null));
        namespaces.add(new LinuxNamespace("uts", null));
        namespaces.add(new LinuxNamespace("mount", null));
        if (cgroupNamespace) {
            namespaces.add(new LinuxNamespace("cgroup", null));
        }
        List<LinuxIDMapping> uidMappings = null;
        List<LinuxIDMapping> gidMappings = null;
        LinuxResources resources = null;
        if (rootless) {
            // runc --rootless: no network namespace (it could not be configured), a user
            // namespace last, and no cgroup settings (they would fail without delegation).
            namespaces.add(new LinuxNamespace("user", null));
            uidMappings = List.of(new LinuxIDMapping(0L, hostUid, 1L));
            gidMappings = List.of(new LinuxIDMapping(0L, hostGid, 1L));
        } else {
            resources = new LinuxResources(
                    List.of(new LinuxDeviceCgroup(false, null, null, null, "rwm")),
                    null, null, null, null, null, null, null, null);
        }

        Process process = new Process(
                true,
                null,
                new User(0L, 0L, null, null, null),
                List.of("sh"),
                null,
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"),
                "/",
                new LinuxCapabilities(CAPS, CAPS, null, CAPS, null),
                List.of(new POSIXRlimit("RLIMIT_NOFILE", 1024L, 1024L)),
                true,
                null, null, null, null, null, null);

        return new Spec(
                OciVersion.CURRENT,
                process,
                new Root("rootfs", true),
                "runc",
                null,
                mounts(rootless),
                null,
                null,
                new Linux(
                        uidMappings, gidMappings, null, resources, null, namespaces, null, null,
                        null, null,
                        List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                                "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                                "/proc/sched_debug", "/sys/firmware", "/proc/scsi"),
                        List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"),
                        null, null, null, null, null));
    }

    private static List<Mount> mounts(boolean rootless) {
        List<Mount> mounts = new ArrayList<>();
        mounts.add(mount("/proc", "proc", "proc"));
        mounts.add(mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"));
        if (rootless) {
            // An unprivileged user cannot pick the devpts group, so runc drops gid=5.
            mounts.add(mount("/dev/pts", "devpts", "devpts",
                    "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
        } else {
            mounts.add(mount("/dev/pts", "devpts", "devpts",
                    "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        }
        mounts.add(mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        mounts.add(mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"));
        if (rootless) {
            // sysfs cannot be mounted without owning the network namespace; bind the host's.
            mounts.add(mount("/sys", "none", "/sys", "rbind", "nosuid", "noexec", "nodev", "ro"));
        } else {
            mounts.add(mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"));
        }
        mounts.add(mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro"));
        return mounts;
    }

    private static Mount mount(String destination, String type, String source, String... options) {
        return new Mount(destination, type, source, options.length == 0 ? null : List.of(options), null, null);
    }

    /** cgroup v2 alone is mounted at /sys/fs/cgroup when its root has cgroup.controllers. */
    private static boolean isCgroup2Unified() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
    }

    /** The effective uid and gid, from /proc/self/status (Java has no geteuid). */
    private static long[] effectiveIds() {
        long[] ids = {0, 0};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    ids[0] = secondField(line);
                } else if (line.startsWith("Gid:")) {
                    ids[1] = secondField(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Without /proc the best guess is the common single-user case: root.
        }
        return ids;
    }

    /** "Uid:\treal\teffective\tsaved\tfs": the effective id is the second number. */
    private static long secondField(String line) {
        int i = 4;
        for (int field = 0; ; field++) {
            while (Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (field == 1) {
                return Long.parseLong(line.substring(start, i));
            }
        }
    }
}
