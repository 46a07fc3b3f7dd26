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
        boolean propagationRecursive, List<String> params, long explicitClear, boolean atimeRequested) {

    /** The attributes a bind mount's remount sets or clears as a whole: mount(2)'s per-mount flags. */
    private static final long PER_MOUNT = MountOptions.ATTR_RDONLY | MountOptions.ATTR_NOSUID
            | MountOptions.ATTR_NODEV | MountOptions.ATTR_NOEXEC | MountOptions.ATTR_NODIRATIME
            | MountOptions.ATTR_NOSYMFOLLOW;
    /** Those a less privileged mount namespace may find locked on the source. */
    private static final long LOCKABLE = MountOptions.ATTR_RDONLY | MountOptions.ATTR_NOSUID
            | MountOptions.ATTR_NODEV | MountOptions.ATTR_NOEXEC;

    /**
     * A bind mount as runc 1.3 applies its options: with no option but bind/rbind it keeps the
     * source's flags; with any flag set or cleared it is remounted with exactly the flags asked
     * for (mount(2)'s MS_BIND|MS_REMOUNT), so `bind,ro` also drops the source's nosuid, and
     * `bind,dev` its ro.  The atime mode is kept unless an atime option is given.  explicitClear
     * is what the config cleared by name: if the source has one of those locked, that is an
     * error; any other locked flag is kept, as runc keeps it.
     */
    static MountAttrs forBind(List<String> options) {
        MountAttrs base = of(options);
        Parsed p = MountOptions.parse(options);
        long requested = p.flags() & ~(MountOptions.MS_BIND | MountOptions.MS_REC | MountOptions.MS_REMOUNT);
        if (requested == 0 && p.clearedFlags() == 0) {
            return new MountAttrs(0, 0, base.recursiveSet, base.recursiveClear, base.propagation,
                    base.propagationRecursive, List.of(), 0, false);
        }
        long set = attrs(p.flags()) & PER_MOUNT;
        long clear = PER_MOUNT & ~set;
        long atimeFlags = p.flags() & (MountOptions.MS_NOATIME | MountOptions.MS_NODIRATIME
                | MountOptions.MS_RELATIME | MountOptions.MS_STRICTATIME);
        if (atimeFlags != 0) {
            clear |= MountOptions.ATTR_ATIME_MASK;
            set |= atimeMode(p.flags());
        }
        return new MountAttrs(set, clear, base.recursiveSet, base.recursiveClear, base.propagation,
                base.propagationRecursive, List.of(), attrs(p.clearedFlags()) & LOCKABLE, atimeFlags != 0);
    }

    private static long attrs(long msFlags) {
        long a = 0;
        for (long[] fa : FLAG_TO_ATTR) {
            if ((msFlags & fa[0]) != 0) {
                a |= fa[1];
            }
        }
        return a;
    }

    /** mount(2)'s precedence: strictatime over noatime over relatime. */
    private static long atimeMode(long msFlags) {
        if ((msFlags & MountOptions.MS_STRICTATIME) != 0) {
            return MountOptions.ATTR_STRICTATIME;
        }
        return (msFlags & MountOptions.MS_NOATIME) != 0 ? MountOptions.ATTR_NOATIME : MountOptions.ATTR_RELATIME;
    }

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

    /** A new filesystem's attributes: everything it does not ask for is off already. */
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
            set |= atimeMode(p.flags());
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
                List.copyOf(params), 0, false);
    }
}
