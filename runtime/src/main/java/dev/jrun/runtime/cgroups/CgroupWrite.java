package dev.jrun.runtime.cgroups;

import java.nio.file.Path;

/**
 * One write to a cgroup control file, as planned from {@code linux.resources}.  A plan is an
 * ordered list of these: the order is part of the plan (some limits must be written before
 * others, see {@link V1Resources}), and each write is one {@code write(2)} call.
 *
 * @param controller the v1 controller whose directory holds {@code file}; "" on cgroup v2
 * @param file the control file's name, e.g. {@code memory.limit_in_bytes}
 * @param value what to write, without a trailing newline
 * @param reason the config JSON path that asked for it, e.g. {@code linux.resources.memory.limit}
 */
public record CgroupWrite(String controller, String file, String value, String reason) {

    /** A cgroup v2 write. */
    static CgroupWrite v2(String file, String value, String reason) {
        return new CgroupWrite("", file, value, reason);
    }

    /**
     * The control file in the cgroup directory {@code dir}.  Parts of some names come from the
     * config (a hugepage size, a unified key); validation lets only plain names through, and
     * this keeps a config that bypassed it from writing outside the cgroup.
     */
    Path fileIn(Path dir) throws CgroupException {
        if (file.isEmpty() || file.equals(".") || file.equals("..") || file.indexOf('/') >= 0 || file.indexOf('\0') >= 0) {
            throw new CgroupException(reason + ": \"" + file + "\" is not the name of a cgroup file");
        }
        return dir.resolve(file);
    }

    @Override
    public String toString() {
        return (controller.isEmpty() ? "" : controller + "/") + file + " <- \"" + value + "\" (" + reason + ")";
    }
}
