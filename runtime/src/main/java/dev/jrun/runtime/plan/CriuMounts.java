package dev.jrun.runtime.plan;

import dev.jrun.spec.linux.NamespaceType;
import dev.jrun.spec.model.LinuxDevice;
import dev.jrun.spec.model.Mount;
import dev.jrun.spec.model.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container's mounts whose source lies outside it, which CRIU can neither dump nor
 * recreate by itself: the config's bind mounts, the cgroup directories bound onto
 * /sys/fs/cgroup, the devices and the null device over masked files.  CRIU names each by a key:
 * on dump the key is the mount point (the null device's is "/dev/null"), on restore the key
 * maps to the host path to bind there.  The same decisions as {@link FilesystemSteps} and
 * {@link CgroupMounts}, so what is described is what create mounted.
 */
public final class CriuMounts {
    /** The key CRIU records for every file masked with the host's null device. */
    public static final String NULL_DEVICE = "/dev/null";

    private CriuMounts() {
    }

    /**
     * Mount point to host source of every external bind mount, in config order.
     *
     * @param bundle the bundle relative sources resolve against
     * @param cgroups where the container's cgroup is (on restore, the new one)
     */
    public static Map<String, String> external(Spec spec, Path bundle, CgroupView cgroups) {
        Map<String, String> binds = new LinkedHashMap<>();
        List<Mount> mounts = spec.mounts() == null ? List.of() : spec.mounts();
        for (Mount m : mounts) {
            String dest = Paths.clean(m.destination());
            if ("cgroup".equals(m.type()) || "cgroup2".equals(m.type())) {
                cgroupBinds(spec, dest, cgroups, binds);
            } else if (FilesystemSteps.isBind(m)) {
                binds.put(dest, Paths.source(bundle, m.source()));
            }
        }
        for (LinuxDevice d : devices(spec)) {
            binds.putIfAbsent(Paths.clean(d.path()), d.path());
        }
        return binds;
    }

    /**
     * CRIU restores a bind mount by binding its host source again, which would bring an
     * id-mapped mount back without its mapping (files owned by host root would show as the
     * container's root): such containers are refused, before anything is dumped or restored.
     *
     * @return the refusal, or null
     */
    public static String idMappedRefusal(Spec spec) {
        for (Mount m : spec.mounts() == null ? List.<Mount>of() : spec.mounts()) {
            if (IdMappedMounts.isIdMapped(m)) {
                return "checkpoint and restore of a container with id-mapped mounts is not supported by jrun:"
                        + " CRIU would restore " + m.destination() + " without its id mapping";
            }
        }
        return null;
    }

    /** The masked paths as the config lists them (only files get the null device). */
    public static List<String> masked(Spec spec) {
        List<String> paths = new ArrayList<>();
        if (spec.linux() != null && spec.linux().maskedPaths() != null) {
            for (String p : spec.linux().maskedPaths()) {
                paths.add(Paths.clean(p));
            }
        }
        return paths;
    }

    /**
     * Without a cgroup namespace (or on v1 in a user namespace) /sys/fs/cgroup holds binds of
     * the container's own cgroup directories; with one, real cgroup filesystems CRIU handles.
     */
    private static void cgroupBinds(Spec spec, String dest, CgroupView view, Map<String, String> binds) {
        if (view == null) {
            return;
        }
        boolean cgroupNs = spec.linux() != null && spec.linux().namespace(NamespaceType.CGROUP.type) != null
                && (view.unifiedOnly() || !spec.linux().hasNamespace(NamespaceType.USER.type));
        if (cgroupNs) {
            return;
        }
        if (view.unifiedOnly()) {
            binds.put(dest, view.unifiedDir());
            return;
        }
        for (CgroupView.V1Hierarchy h : view.hierarchies()) {
            binds.put(dest + "/" + h.name(), h.hostDir());
        }
        if (view.unifiedDir() != null) {
            binds.put(dest + "/unified", view.unifiedDir());
        }
    }

    /** runc's default devices and the config's, as create makes them (bound inside a user namespace). */
    private static List<LinuxDevice> devices(Spec spec) {
        List<LinuxDevice> all = new ArrayList<>(DefaultDevices.LIST);
        if (spec.linux() != null && spec.linux().devices() != null) {
            all.addAll(spec.linux().devices());
        }
        return all;
    }
}
