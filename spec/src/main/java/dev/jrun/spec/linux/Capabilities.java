package dev.jrun.spec.linux;

import java.util.List;

/**
 * Linux capability names (as in capabilities(7) and linux/capability.h) and their numbers.
 * Names not in the table are not errors in a config (the spec says to warn), so callers ask
 * {@link #number} and decide.
 */
public final class Capabilities {
    // Index = capability number. Kernel 5.9 added CAP_CHECKPOINT_RESTORE (40), the last one.
    private static final String[] NAMES = {
        "CAP_CHOWN",
        "CAP_DAC_OVERRIDE",
        "CAP_DAC_READ_SEARCH",
        "CAP_FOWNER",
        "CAP_FSETID",
        "CAP_KILL",
        "CAP_SETGID",
        "CAP_SETUID",
        "CAP_SETPCAP",
        "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN",
        "CAP_NET_RAW",
        "CAP_IPC_LOCK",
        "CAP_IPC_OWNER",
        "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT",
        "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN",
        "CAP_SYS_BOOT",
        "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG",
        "CAP_MKNOD",
        "CAP_LEASE",
        "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE",
        "CAP_MAC_ADMIN",
        "CAP_SYSLOG",
        "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ",
        "CAP_PERFMON",
        "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    };

    /** The highest capability number this table knows. */
    public static final int LAST = NAMES.length - 1;

    private Capabilities() {}

    /** The number of a capability name such as {@code CAP_SYS_ADMIN}, or -1 if unknown. */
    public static int number(String name) {
        if (name != null) {
            for (int i = 0; i < NAMES.length; i++) {
                if (NAMES[i].equals(name)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The name of capability {@code number}, or {@code null} if the table has none. */
    public static String name(int number) {
        return number >= 0 && number < NAMES.length ? NAMES[number] : null;
    }

    /** Every known name, in number order (the order of {@code runc features}). */
    public static List<String> all() {
        return List.of(NAMES);
    }
}
