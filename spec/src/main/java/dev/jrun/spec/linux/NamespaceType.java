package dev.jrun.spec.linux;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The namespace types of config.md with their clone(2) flags, in the order a runtime joins
 * them: the user namespace first (joining the others may need its privileges), the mount
 * namespace last (paths named after it resolve inside it).  Validation, the plan compiler and
 * the features document read this one table.
 */
public enum NamespaceType {
    USER("user", 0x10000000L),
    IPC("ipc", 0x08000000L),
    UTS("uts", 0x04000000L),
    NETWORK("network", 0x40000000L),
    PID("pid", 0x20000000L),
    CGROUP("cgroup", 0x02000000L),
    TIME("time", 0x80L),
    MOUNT("mount", 0x00020000L);

    /** The type's name in config.json. */
    public final String type;
    /** Its CLONE_NEW* flag. */
    public final long cloneFlag;

    NamespaceType(String type, long cloneFlag) {
        this.type = type;
        this.cloneFlag = cloneFlag;
    }

    /** The namespace of that type, or null if config.md has no such type. */
    public static NamespaceType of(String type) {
        for (NamespaceType n : values()) {
            if (n.type.equals(type)) {
                return n;
            }
        }
        return null;
    }

    /** The CLONE_NEW* flag of a type config.md names. */
    public static long flag(String type) {
        NamespaceType n = of(type);
        if (n == null) {
            throw new IllegalArgumentException("namespace type " + type);
        }
        return n.cloneFlag;
    }

    /** The types in the flags, in joining order, e.g. "ipc, uts, mount". */
    public static String names(long flags) {
        List<String> names = new ArrayList<>();
        for (NamespaceType n : values()) {
            if ((flags & n.cloneFlag) != 0) {
                names.add(n.type);
            }
        }
        return String.join(", ", names);
    }

    /** Every type, sorted: the features document's namespaces. */
    public static List<String> types() {
        List<String> types = new ArrayList<>();
        for (NamespaceType n : values()) {
            types.add(n.type);
        }
        Collections.sort(types);
        return types;
    }
}
