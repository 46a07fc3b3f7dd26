package dev.jrun.runtime.plan;

/**
 * The executor's operations, numbered on the wire by their position here (ordinal + 1).  Each
 * has exactly one {@link Step} record; runtime/src/main/c/protocol.h is generated from both.
 */
public enum Op {
    SYNC,
    REPORT_CREATED,
    WAIT_START,
    OPEN_MOUNT_SOURCES,
    JOIN_NAMESPACES,
    SETNS_FD,
    UNSHARE,
    FORK,
    PROC_WRITE,
    ROOT_PROPAGATION,
    PREPARE_ROOTFS,
    MOUNT_GUARD,
    BIND,
    MOUNT_FS,
    SET_ATTR,
    MKNOD,
    BIND_DEVICE,
    SYMLINK,
    MASK,
    READONLY,
    ROOT_READONLY,
    PIVOT_ROOT,
    MOVE_ROOT,
    CHROOT,
    OPEN_ROOT,
    CONSOLE,
    CTTY,
    RUN_HOOK,
    SET_HOSTNAME,
    SET_DOMAINNAME,
    KEYRING,
    SET_RLIMIT,
    PERSONALITY,
    SCHED,
    IOPRIO,
    AFFINITY,
    MEMPOLICY,
    SETSID,
    NO_NEW_PRIVS,
    SECCOMP,
    CAP_BOUNDING,
    SET_GROUPS,
    SET_GID,
    SET_UID,
    CAPSET,
    AMBIENT,
    UMASK,
    CLOSE_SETUP_FDS,
    MKDIR,
    CHDIR,
    LOOKUP_EXEC,
    DEFAULT_HOME,
    EXEC,
    MAPPING_USERNS,
    ID_MAP_SOURCE;

    /** The number jrun-init knows this operation by. */
    public int code() {
        return ordinal() + 1;
    }
}
