package dev.jrun.runtime.plan;

/**
 * The executor's primitive operations.  The numbers are the wire contract with jrun-init and
 * mirror runtime/src/main/c/protocol.h (PlanProtocolTest keeps the two in step).
 */
public enum Op {
    SYNC(1),
    SETNS(2),
    UNSHARE(3),
    PROC_WRITE(4),
    FORK(5),
    ROOT_PROPAGATION(6),
    PREPARE_ROOTFS(7),
    BIND(8),
    MOUNT_FS(9),
    MKNOD(10),
    BIND_DEVICE(11),
    SYMLINK(12),
    MKDIR(13),
    CONSOLE(14),
    MASK(15),
    READONLY(16),
    RUN_HOOK(17),
    ROOT_READONLY(18),
    PIVOT_ROOT(19),
    MOVE_ROOT(20),
    SETHOSTNAME(21),
    SETDOMAINNAME(22),
    SETRLIMIT(23),
    PERSONALITY(24),
    SCHED(25),
    IOPRIO(26),
    AFFINITY(27),
    NO_NEW_PRIVS(28),
    SECCOMP(29),
    CAP_BOUNDING(30),
    SETGROUPS(31),
    SETGID(32),
    SETUID(33),
    CAPSET(34),
    AMBIENT(35),
    UMASK(36),
    CHDIR(37),
    SETSID(38),
    CTTY(39),
    LOOKUP_EXEC(40),
    REPORT_CREATED(41),
    WAIT_START(42),
    EXEC(43),
    CLOSE_SETUP_FDS(44),
    KEYRING(45),
    SET_CTTY_FD(46),
    SETATTR(47),
    DEFAULT_HOME(48),
    MEMPOLICY(49),
    SETNS_FD(50),
    OPEN_ROOT(51),
    MOUNT_GUARD(52);

    public final int code;

    Op(int code) {
        this.code = code;
    }
}
