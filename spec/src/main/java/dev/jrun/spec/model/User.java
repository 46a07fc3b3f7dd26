package dev.jrun.spec.model;

import java.util.List;

/**
 * The identity of the process, in the container's user namespace.
 *
 * @param uid uint32
 * @param gid uint32
 * @param umask uint32; {@code null} means "leave the umask alone"
 * @param additionalGids uint32 each
 * @param username Windows only
 */
public record User(
        @Go(value = "uint32", omitempty = false) Long uid,
        @Go(value = "uint32", omitempty = false) Long gid,
        @Go("*uint32") Long umask,
        @Go("[]uint32") List<Long> additionalGids,
        String username) {

    public User {
        additionalGids = Copy.list(additionalGids);
    }

    /** The uid, 0 when absent (the spec requires it; Go decodes a missing one as 0). */
    public long uidOrZero() {
        return uid == null ? 0 : uid;
    }

    /** The gid, 0 when absent. */
    public long gidOrZero() {
        return gid == null ? 0 : gid;
    }
}
