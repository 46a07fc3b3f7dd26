package dev.jrun.runtime.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * runc's mount options, translated for the new mount API: per-mount attributes
 * (mount_setattr), superblock flags and filesystem parameters (fsconfig), and propagation.
 * The features document lists exactly the keys of these tables.
 */
public final class MountOptions {
    // struct mount_attr bits (linux/mount.h)
    static final long ATTR_RDONLY = 0x1;
    static final long ATTR_NOSUID = 0x2;
    static final long ATTR_NODEV = 0x4;
    static final long ATTR_NOEXEC = 0x8;
    static final long ATTR_ATIME_MASK = 0x70;
    static final long ATTR_RELATIME = 0x0;
    static final long ATTR_NOATIME = 0x10;
    static final long ATTR_STRICTATIME = 0x20;
    static final long ATTR_NODIRATIME = 0x80;
    static final long ATTR_NOSYMFOLLOW = 0x200000;

    // propagation types (MS_*)
    static final long MS_UNBINDABLE = 1 << 17;
    static final long MS_PRIVATE = 1 << 18;
    static final long MS_SLAVE = 1 << 19;
    static final long MS_SHARED = 1 << 20;
    static final long MS_REC = 1 << 14;

    /** An attribute change: bits to set and bits to clear. */
    private record Attr(long set, long clear) {
    }

    private static final Map<String, Attr> ATTRS = new LinkedHashMap<>();
    private static final Map<String, String> SUPERBLOCK = new LinkedHashMap<>();
    private static final Map<String, Long> PROPAGATION = new LinkedHashMap<>();
    private static final Set<String> NO_EFFECT = Set.of("defaults", "norelatime", "nostrictatime", "loud", "silent",
            "remount");

    static {
        attr("ro", ATTR_RDONLY, 0);
        attr("rw", 0, ATTR_RDONLY);
        attr("nosuid", ATTR_NOSUID, 0);
        attr("suid", 0, ATTR_NOSUID);
        attr("nodev", ATTR_NODEV, 0);
        attr("dev", 0, ATTR_NODEV);
        attr("noexec", ATTR_NOEXEC, 0);
        attr("exec", 0, ATTR_NOEXEC);
        attr("noatime", ATTR_NOATIME, 0);
        attr("atime", 0, ATTR_NOATIME);
        attr("relatime", ATTR_RELATIME, ATTR_ATIME_MASK);
        attr("strictatime", ATTR_STRICTATIME, 0);
        attr("nodiratime", ATTR_NODIRATIME, 0);
        attr("diratime", 0, ATTR_NODIRATIME);
        attr("nosymfollow", ATTR_NOSYMFOLLOW, 0);
        attr("symfollow", 0, ATTR_NOSYMFOLLOW);
        // superblock flags travel as fsconfig flags under the kernel's own names
        SUPERBLOCK.put("sync", "sync");
        SUPERBLOCK.put("async", "async");
        SUPERBLOCK.put("dirsync", "dirsync");
        SUPERBLOCK.put("mand", "mand");
        SUPERBLOCK.put("nomand", "nomand");
        SUPERBLOCK.put("lazytime", "lazytime");
        SUPERBLOCK.put("nolazytime", "nolazytime");
        SUPERBLOCK.put("acl", "posixacl");
        SUPERBLOCK.put("iversion", "iversion");
        SUPERBLOCK.put("noiversion", "noiversion");
        PROPAGATION.put("private", MS_PRIVATE);
        PROPAGATION.put("rprivate", MS_PRIVATE | MS_REC);
        PROPAGATION.put("shared", MS_SHARED);
        PROPAGATION.put("rshared", MS_SHARED | MS_REC);
        PROPAGATION.put("slave", MS_SLAVE);
        PROPAGATION.put("rslave", MS_SLAVE | MS_REC);
        PROPAGATION.put("unbindable", MS_UNBINDABLE);
        PROPAGATION.put("runbindable", MS_UNBINDABLE | MS_REC);
    }

    private static void attr(String name, long set, long clear) {
        ATTRS.put(name, new Attr(set, clear));
    }

    private MountOptions() {
    }

    /** What a mount's options ask for, sorted by the mechanism that applies each. */
    public record Parsed(boolean bind, boolean recursiveBind, long set, long clear, long recursiveSet,
            long recursiveClear, long propagation, boolean recursivePropagation, List<String> params) {
    }

    public static Parsed parse(List<String> options) {
        boolean bind = false;
        boolean rbind = false;
        long set = 0;
        long clear = 0;
        long rset = 0;
        long rclear = 0;
        long propagation = 0;
        boolean recursivePropagation = false;
        List<String> params = new ArrayList<>();
        for (String option : options == null ? List.<String>of() : options) {
            Attr a = ATTRS.get(option);
            if (a != null) {
                set = (set & ~a.clear) | a.set;
                clear = (clear & ~a.set) | a.clear;
                continue;
            }
            if (option.length() > 1 && option.charAt(0) == 'r' && ATTRS.containsKey(option.substring(1))) {
                Attr r = ATTRS.get(option.substring(1));
                rset = (rset & ~r.clear) | r.set;
                rclear = (rclear & ~r.set) | r.clear;
                continue;
            }
            Long p = PROPAGATION.get(option);
            if (p != null) {
                propagation = p & ~MS_REC;
                recursivePropagation = (p & MS_REC) != 0;
                continue;
            }
            switch (option) {
                case "bind" -> bind = true;
                case "rbind" -> {
                    bind = true;
                    rbind = true;
                }
                default -> {
                    if (NO_EFFECT.contains(option)) {
                        continue;
                    }
                    String sb = SUPERBLOCK.get(option);
                    params.add(sb != null ? sb : option);
                }
            }
        }
        return new Parsed(bind, rbind, set, clear, rset, rclear, propagation, recursivePropagation,
                List.copyOf(params));
    }

    /** Every option name jrun understands, for the features document. */
    public static List<String> known() {
        List<String> names = new ArrayList<>();
        names.addAll(ATTRS.keySet());
        for (String a : ATTRS.keySet()) {
            names.add("r" + a);
        }
        names.addAll(SUPERBLOCK.keySet());
        names.addAll(PROPAGATION.keySet());
        names.addAll(List.of("bind", "rbind"));
        names.addAll(NO_EFFECT);
        names.sort(null);
        return names;
    }

    /** The MS_* propagation flags a rootfsPropagation value names, or null if it is not one. */
    public static Long propagationFlags(String name) {
        return PROPAGATION.get(name);
    }
}
