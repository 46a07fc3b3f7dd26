package dev.jrun.spec.linux;

import java.util.List;

/**
 * The mount option names a runtime recognises (config.md, "Linux mount options"). Any other
 * option is filesystem-specific data, passed to mount(2) as its {@code data} string.
 */
public final class MountOptions {
    // Sorted: this is also the mountOptions list of the features document.
    private static final String[] KNOWN = {
        "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "idmap",
        "iversion", "lazytime", "loud", "mand", "noatime", "nodev", "nodiratime", "noexec",
        "noiversion", "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid",
        "nosymfollow", "private", "ratime", "rbind", "rdev", "rdiratime", "relatime", "remount",
        "rexec", "ridmap", "rnoatime", "rnodev", "rnodiratime", "rnoexec", "rnorelatime",
        "rnostrictatime", "rnosuid", "rnosymfollow", "ro", "rprivate", "rrelatime", "rro", "rrw",
        "rshared", "rslave", "rstrictatime", "rsuid", "rsymfollow", "runbindable", "rw", "shared",
        "silent", "slave", "strictatime", "suid", "symfollow", "sync", "tmpcopyup", "unbindable",
    };

    private MountOptions() {}

    /** Whether the runtime interprets {@code option} itself rather than passing it as data. */
    public static boolean isKnown(String option) {
        for (String known : KNOWN) {
            if (known.equals(option)) {
                return true;
            }
        }
        return false;
    }

    /** A mount is a bind mount if it has {@code bind} or {@code rbind} among its options. */
    public static boolean isBind(List<String> options) {
        return options != null && (options.contains("bind") || options.contains("rbind"));
    }

    /** Every recognised option, sorted. */
    public static List<String> all() {
        return List.of(KNOWN);
    }
}
