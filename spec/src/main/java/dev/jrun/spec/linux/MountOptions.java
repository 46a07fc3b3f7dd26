package dev.jrun.spec.linux;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mount options a runtime interprets itself (config.md, "Linux mount options"), as runc
 * 1.3 interprets them; any other option is filesystem-specific data for mount(2).  The one
 * table that validation, the plan compiler and the features document read.
 */
public final class MountOptions {
    // mount(2) flags (linux/mount.h)
    public static final long MS_RDONLY = 0x1;
    public static final long MS_NOSUID = 0x2;
    public static final long MS_NODEV = 0x4;
    public static final long MS_NOEXEC = 0x8;
    public static final long MS_SYNCHRONOUS = 0x10;
    public static final long MS_REMOUNT = 0x20;
    public static final long MS_MANDLOCK = 0x40;
    public static final long MS_DIRSYNC = 0x80;
    public static final long MS_NOSYMFOLLOW = 0x100;
    public static final long MS_NOATIME = 0x400;
    public static final long MS_NODIRATIME = 0x800;
    public static final long MS_BIND = 0x1000;
    public static final long MS_REC = 0x4000;
    public static final long MS_SILENT = 0x8000;
    public static final long MS_UNBINDABLE = 1L << 17;
    public static final long MS_PRIVATE = 1L << 18;
    public static final long MS_SLAVE = 1L << 19;
    public static final long MS_SHARED = 1L << 20;
    public static final long MS_RELATIME = 1L << 21;
    public static final long MS_I_VERSION = 1L << 23;
    public static final long MS_STRICTATIME = 1L << 24;
    public static final long MS_LAZYTIME = 1L << 25;

    // mount_setattr(2) attributes (linux/mount.h)
    public static final long ATTR_RDONLY = 0x1;
    public static final long ATTR_NOSUID = 0x2;
    public static final long ATTR_NODEV = 0x4;
    public static final long ATTR_NOEXEC = 0x8;
    public static final long ATTR_ATIME_MASK = 0x70;
    public static final long ATTR_RELATIME = 0x0;
    public static final long ATTR_NOATIME = 0x10;
    public static final long ATTR_STRICTATIME = 0x20;
    public static final long ATTR_NODIRATIME = 0x80;
    public static final long ATTR_IDMAP = 0x100000;
    public static final long ATTR_NOSYMFOLLOW = 0x200000;

    /** How an option takes effect. */
    public enum Kind {
        /** a mount(2) flag, set or cleared */
        FLAG,
        /** a mount_setattr(2) attribute for every mount of the tree (the "r" options) */
        RECURSIVE_ATTR,
        /** a propagation type for mount(2) */
        PROPAGATION,
        /** tmpcopyup: fill a new tmpfs with what the directory under it held */
        COPY_UP,
        /** idmap / ridmap: an id-mapped bind mount (ridmap: of every mount of the tree) */
        ID_MAP
    }

    /** One option: value is a flag, attribute or propagation; clear inverts a flag's sense. */
    public record Option(String name, Kind kind, boolean clear, long value) {
    }

    private static final Map<String, Option> TABLE = new LinkedHashMap<>();

    static {
        flag("async", true, MS_SYNCHRONOUS);
        flag("atime", true, MS_NOATIME);
        flag("bind", false, MS_BIND);
        flag("defaults", false, 0);
        flag("dev", true, MS_NODEV);
        flag("diratime", true, MS_NODIRATIME);
        flag("dirsync", false, MS_DIRSYNC);
        flag("exec", true, MS_NOEXEC);
        flag("iversion", false, MS_I_VERSION);
        flag("lazytime", false, MS_LAZYTIME);
        flag("loud", true, MS_SILENT);
        flag("mand", false, MS_MANDLOCK);
        flag("noatime", false, MS_NOATIME);
        flag("nodev", false, MS_NODEV);
        flag("nodiratime", false, MS_NODIRATIME);
        flag("noexec", false, MS_NOEXEC);
        flag("noiversion", true, MS_I_VERSION);
        flag("nolazytime", true, MS_LAZYTIME);
        flag("nomand", true, MS_MANDLOCK);
        flag("norelatime", true, MS_RELATIME);
        flag("nostrictatime", true, MS_STRICTATIME);
        flag("nosuid", false, MS_NOSUID);
        flag("nosymfollow", false, MS_NOSYMFOLLOW);
        flag("rbind", false, MS_BIND | MS_REC);
        flag("relatime", false, MS_RELATIME);
        flag("remount", false, MS_REMOUNT);
        flag("ro", false, MS_RDONLY);
        flag("rw", true, MS_RDONLY);
        flag("silent", false, MS_SILENT);
        flag("strictatime", false, MS_STRICTATIME);
        flag("suid", true, MS_NOSUID);
        flag("sync", false, MS_SYNCHRONOUS);
        flag("symfollow", true, MS_NOSYMFOLLOW);

        propagation("private", MS_PRIVATE);
        propagation("rprivate", MS_PRIVATE | MS_REC);
        propagation("shared", MS_SHARED);
        propagation("rshared", MS_SHARED | MS_REC);
        propagation("slave", MS_SLAVE);
        propagation("rslave", MS_SLAVE | MS_REC);
        propagation("unbindable", MS_UNBINDABLE);
        propagation("runbindable", MS_UNBINDABLE | MS_REC);

        recursive("rro", false, ATTR_RDONLY);
        recursive("rrw", true, ATTR_RDONLY);
        recursive("rnosuid", false, ATTR_NOSUID);
        recursive("rsuid", true, ATTR_NOSUID);
        recursive("rnodev", false, ATTR_NODEV);
        recursive("rdev", true, ATTR_NODEV);
        recursive("rnoexec", false, ATTR_NOEXEC);
        recursive("rexec", true, ATTR_NOEXEC);
        recursive("rnodiratime", false, ATTR_NODIRATIME);
        recursive("rdiratime", true, ATTR_NODIRATIME);
        recursive("rrelatime", false, ATTR_RELATIME);
        recursive("rnorelatime", true, ATTR_RELATIME);
        recursive("rnoatime", false, ATTR_NOATIME);
        recursive("ratime", true, ATTR_NOATIME);
        recursive("rstrictatime", false, ATTR_STRICTATIME);
        recursive("rnostrictatime", true, ATTR_STRICTATIME);
        recursive("rnosymfollow", false, ATTR_NOSYMFOLLOW);
        recursive("rsymfollow", true, ATTR_NOSYMFOLLOW);

        TABLE.put("tmpcopyup", new Option("tmpcopyup", Kind.COPY_UP, false, 0));
        TABLE.put("idmap", new Option("idmap", Kind.ID_MAP, false, 0));
        TABLE.put("ridmap", new Option("ridmap", Kind.ID_MAP, false, MS_REC));
    }

    private static void flag(String name, boolean clear, long value) {
        TABLE.put(name, new Option(name, Kind.FLAG, clear, value));
    }

    private static void propagation(String name, long value) {
        TABLE.put(name, new Option(name, Kind.PROPAGATION, false, value));
    }

    private static void recursive(String name, boolean clear, long value) {
        TABLE.put(name, new Option(name, Kind.RECURSIVE_ATTR, clear, value));
    }

    private MountOptions() {
    }

    /** The option of that name, or null: then it is filesystem-specific data. */
    public static Option lookup(String name) {
        return TABLE.get(name);
    }

    /** Whether the runtime interprets {@code option} itself rather than passing it as data. */
    public static boolean isKnown(String option) {
        return TABLE.containsKey(option);
    }

    /** A mount is a bind mount if it has {@code bind} or {@code rbind} among its options. */
    public static boolean isBind(List<String> options) {
        return options != null && (options.contains("bind") || options.contains("rbind"));
    }

    /** Every option the table holds, sorted: the features document's mountOptions. */
    public static List<String> all() {
        List<String> names = new ArrayList<>(TABLE.keySet());
        Collections.sort(names);
        return names;
    }

    /**
     * A mount's options, each applied in order so that a later one wins: flags to set and to
     * clear, recursive attributes to set and to clear (an atime attribute also clears the
     * others, as mount_setattr needs), propagation types in order, the extensions, and the
     * filesystem data left over.
     */
    public record Parsed(long flags, long clearedFlags, long recursiveSet, long recursiveClear,
            List<Long> propagations, boolean copyUp, boolean idMap, boolean recursiveIdMap, List<String> data) {

        public boolean bind() {
            return (flags & MS_BIND) != 0;
        }

        public boolean recursiveBind() {
            return (flags & (MS_BIND | MS_REC)) == (MS_BIND | MS_REC);
        }
    }

    public static Parsed parse(List<String> options) {
        long flags = 0;
        long cleared = 0;
        long rset = 0;
        long rclear = 0;
        List<Long> propagations = new ArrayList<>();
        boolean copyUp = false;
        boolean idMap = false;
        boolean ridMap = false;
        List<String> data = new ArrayList<>();
        for (String name : options == null ? List.<String>of() : options) {
            Option o = TABLE.get(name);
            if (o == null) {
                data.add(name);
                continue;
            }
            switch (o.kind()) {
                case FLAG -> {
                    if (o.clear()) {
                        flags &= ~o.value();
                        cleared |= o.value();
                    } else {
                        flags |= o.value();
                        cleared &= ~o.value();
                    }
                }
                case PROPAGATION -> propagations.add(o.value());
                case RECURSIVE_ATTR -> {
                    if (o.clear()) {
                        rclear |= o.value();
                        rset &= ~o.value();
                    } else {
                        rset |= o.value();
                        rclear &= ~o.value();
                    }
                    if ((o.value() & ATTR_ATIME_MASK) == o.value()) {
                        rclear |= ATTR_ATIME_MASK;
                    }
                }
                case COPY_UP -> copyUp = true;
                case ID_MAP -> {
                    idMap = true;
                    ridMap = o.value() != 0;
                }
            }
        }
        return new Parsed(flags, cleared, rset, rclear, List.copyOf(propagations), copyUp, idMap, ridMap,
                List.copyOf(data));
    }

    /** The MS_* propagation flags a rootfsPropagation value names, or null if it is not one. */
    public static Long propagationFlags(String name) {
        Option o = TABLE.get(name);
        return o != null && o.kind() == Kind.PROPAGATION ? o.value() : null;
    }
}
