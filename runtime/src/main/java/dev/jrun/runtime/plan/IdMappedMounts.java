package dev.jrun.runtime.plan;

import dev.jrun.spec.linux.MountOptions;
import dev.jrun.spec.linux.NamespaceType;
import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.spec.model.LinuxNamespace;
import dev.jrun.spec.model.Mount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Id-mapped bind mounts (runtime-spec 1.2 mounts[].uidMappings/gidMappings, options idmap and
 * ridmap), as runc 1.3 makes them: the source's tree is cloned and given MOUNT_ATTR_IDMAP with a
 * user namespace that carries the mount's mappings, then the Bind step puts it in place.
 *
 * Both happen in stage 1, before jrun-init joins or creates any namespace: the kernel lets only
 * a caller privileged over the source's filesystem (the host's root, for the host's disks)
 * id-map a mount, which the container's root in its own user namespace is not.  A mount without
 * mappings of its own takes the container's: the joined user namespace itself, or a new one
 * with the container's mappings.
 */
final class IdMappedMounts {
    private IdMappedMounts() {
    }

    /** Whether m asks to be id-mapped: mappings of its own (runc needs no option then), or an option. */
    static boolean isIdMapped(Mount m) {
        return m.uidMappings() != null || m.gidMappings() != null || m.hasOption("idmap") || m.hasOption("ridmap");
    }

    static boolean any(List<Mount> mounts) {
        for (Mount m : mounts == null ? List.<Mount>of() : mounts) {
            if (isIdMapped(m)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds the steps that make every id-mapped mount's source, numbering them as source slots
     * from firstSlot on; one user namespace per distinct mapping, as runc shares them.
     */
    static void add(Compilation c, int firstSlot) throws PlanException {
        List<Mount> mounts = c.spec.mounts() == null ? List.of() : c.spec.mounts();
        Map<String, Integer> userns = new LinkedHashMap<>();
        int slot = firstSlot;
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            if (!isIdMapped(m)) {
                continue;
            }
            // validation reports these with more context; a library caller may skip it
            if (!FilesystemSteps.isBind(m) || "cgroup".equals(m.type()) || "cgroup2".equals(m.type())) {
                throw new PlanException("mounts[" + i + "]: id-mapped mounts are only supported for bind-mounts");
            }
            String[] mapping = mapping(c, m, i);
            String key = mapping[2].isEmpty() ? mapping[0] + "\0" + mapping[1] : "path\0" + mapping[2];
            Integer nsSlot = userns.get(key);
            if (nsSlot == null) {
                nsSlot = userns.size();
                userns.put(key, nsSlot);
                c.add(new Step.MappingUserns(mapping[0], mapping[1], mapping[2]), mapping[2].isEmpty()
                        ? "create the user namespace that id-maps the mount of " + m.destination()
                        : "open user namespace " + mapping[2] + " to id-map the mount of " + m.destination());
            }
            String source = Paths.source(c.ctx.container().bundle(), m.source());
            MountOptions.Parsed options = MountOptions.parse(m.options());
            String names = "id-mapped mount of " + source + " on " + m.destination();
            c.add(new Step.IdMapSource(source, options.recursiveBind(), nsSlot, options.recursiveIdMap()), names,
                    new InitPlan.Explained(names + ": the kernel refused to id-map it (invalid argument): the filesystem"
                            + (options.recursiveIdMap() ? " of the source, or of a mount under it," : " of the source")
                            + " does not support id-mapped mounts on this kernel", InitPlan.Explained.EINVAL));
            c.sourceSlots.put(m, slot++);
        }
    }

    /** {uid_map text, gid_map text, user namespace path}: the path, or both texts, is empty. */
    private static String[] mapping(Compilation c, Mount m, int index) throws PlanException {
        if (m.uidMappings() != null || m.gidMappings() != null) {
            if (m.uidMappings() == null || m.uidMappings().isEmpty() || m.gidMappings() == null
                    || m.gidMappings().isEmpty()) {
                throw new PlanException("mounts[" + index + "]: id-mapped mounts must have both uid and gid mappings specified");
            }
            return new String[] {text(m.uidMappings()), text(m.gidMappings()), ""};
        }
        LinuxNamespace user = c.linux.namespace(NamespaceType.USER.type);
        if (user == null) {
            throw new PlanException("mounts[" + index + "]: id-mapped mounts must have both uid and gid mappings specified");
        }
        if (!user.isNew()) {
            return new String[] {"", "", user.path()};
        }
        return new String[] {text(c.linux.uidMappings()), text(c.linux.gidMappings()), ""};
    }

    /** The kernel's uid_map/gid_map format: one "inside outside count" line per range. */
    static String text(List<LinuxIDMapping> mappings) {
        StringBuilder sb = new StringBuilder();
        for (LinuxIDMapping m : mappings == null ? List.<LinuxIDMapping>of() : mappings) {
            sb.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return sb.toString();
    }
}
