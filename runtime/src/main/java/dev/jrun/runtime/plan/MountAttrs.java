package dev.jrun.runtime.plan;

import dev.jrun.spec.linux.MountOptions;
import dev.jrun.spec.linux.MountOptions.Parsed;
import java.util.ArrayList;
import java.util.List;

/**
 * A mount's options as the new mount API applies them: mount_setattr attributes for the top
 * mount and for the whole tree, one propagation type, and the fsconfig parameters of a new
 * filesystem (its superblock flags and its own data, in the order given).
 */
record MountAttrs(long set, long clear, long recursiveSet, long recursiveClear, long propagation,
        boolean propagationRecursive, List<String> params) {

    /** mount(2) flags that are per-mount attributes, and the attribute each becomes. */
    private static final long[][] FLAG_TO_ATTR = {
        {MountOptions.MS_RDONLY, MountOptions.ATTR_RDONLY},
        {MountOptions.MS_NOSUID, MountOptions.ATTR_NOSUID},
        {MountOptions.MS_NODEV, MountOptions.ATTR_NODEV},
        {MountOptions.MS_NOEXEC, MountOptions.ATTR_NOEXEC},
        {MountOptions.MS_NODIRATIME, MountOptions.ATTR_NODIRATIME},
        {MountOptions.MS_NOSYMFOLLOW, MountOptions.ATTR_NOSYMFOLLOW},
    };

    /** Options that are superblock flags: fsconfig takes them under the same names. */
    private static final java.util.Set<String> SUPERBLOCK = java.util.Set.of("sync", "async", "dirsync", "mand",
            "nomand", "lazytime", "nolazytime", "iversion", "noiversion");

    static MountAttrs of(List<String> options) {
        Parsed p = MountOptions.parse(options);
        long set = 0;
        long clear = 0;
        for (long[] fa : FLAG_TO_ATTR) {
            if ((p.flags() & fa[0]) != 0) {
                set |= fa[1];
            }
            if ((p.clearedFlags() & fa[0]) != 0) {
                clear |= fa[1];
            }
        }
        // The atime mode is one field, and mount(2) resolves it by precedence rather than order:
        // strictatime over noatime over relatime.  atime alone clears noatime, which is relatime.
        long atimeFlags = MountOptions.MS_STRICTATIME | MountOptions.MS_NOATIME | MountOptions.MS_RELATIME;
        if ((p.flags() & atimeFlags) != 0 || (p.clearedFlags() & MountOptions.MS_NOATIME) != 0) {
            clear |= MountOptions.ATTR_ATIME_MASK;
            if ((p.flags() & MountOptions.MS_STRICTATIME) != 0) {
                set |= MountOptions.ATTR_STRICTATIME;
            } else if ((p.flags() & MountOptions.MS_NOATIME) != 0) {
                set |= MountOptions.ATTR_NOATIME;
            }
        }
        // in the order given: a filesystem may care which of its own options comes last
        List<String> params = new ArrayList<>();
        for (String option : options == null ? List.<String>of() : options) {
            if (SUPERBLOCK.contains(option) || !MountOptions.isKnown(option)) {
                params.add(option);
            }
        }
        long propagation = 0;
        boolean recursive = false;
        if (!p.propagations().isEmpty()) {
            long last = p.propagations().get(p.propagations().size() - 1);
            propagation = last & ~MountOptions.MS_REC;
            recursive = (last & MountOptions.MS_REC) != 0;
        }
        return new MountAttrs(set, clear, p.recursiveSet(), p.recursiveClear(), propagation, recursive,
                List.copyOf(params));
    }
}
