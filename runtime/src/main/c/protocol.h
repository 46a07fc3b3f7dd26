/*
 * The wire contract between the Java runtime and jrun-init.  The Java side mirrors every
 * number here in dev.jrun.runtime.plan.Op and dev.jrun.runtime.process.Wire; a change on one
 * side without the other is caught by PlanProtocolTest, which parses this header.
 *
 * Framing on the sync socket (SOCK_STREAM, both directions):
 *   u32 type, u32 length, length bytes of payload   (little endian)
 * Plan payload:
 *   "JRP1", u32 step count, then per step: u16 op, u16 argc, argc arguments, each
 *   u8 kind 'i' (i64) | 's' (u32 len + bytes) | 'v' (u32 count, then count x (u32 len + bytes)).
 */
#ifndef JRUN_PROTOCOL_H
#define JRUN_PROTOCOL_H

/* message types */
#define MSG_PLAN        1   /* java -> init: the plan */
#define MSG_ACK         2   /* java -> init: carry on; payload depends on the sync tag */
#define MSG_ABORT       3   /* java -> init: give up quietly */
#define MSG_SYNC        10  /* init -> java: u32 tag; waits for ACK */
#define MSG_CHILD_PID   11  /* init -> java: i32 host pid of the forked stage 2 */
#define MSG_ERROR       12  /* init -> java: i32 step, i32 errno, detail string */
#define MSG_CREATED     13  /* init -> java: ready, about to wait for start */
#define MSG_FD          14  /* init -> java: u32 kind, plus one fd as SCM_RIGHTS */

/* sync tags */
#define SYNC_CGROUP     1   /* place me (stage 1) in the container's cgroup */
#define SYNC_USERNS     2   /* write uid/gid maps for me (stage 1) */
#define SYNC_HOOKS      3   /* run prestart/createRuntime hooks; ACK carries the state JSON */
#define SYNC_SECCOMP    4   /* a listener fd was sent (MSG_FD); hand it to the listener */

/* fd kinds for MSG_FD */
#define FD_SECCOMP_LISTENER 1

/* plan operations */
#define OP_SYNC               1   /* tag */
#define OP_SETNS              2   /* path, nstype */
#define OP_UNSHARE            3   /* clone flags */
#define OP_PROC_WRITE         4   /* path relative to /proc, data */
#define OP_FORK               5   /* stage 1 reports the child's pid and exits */
#define OP_ROOT_PROPAGATION   6   /* mount flags applied to / */
#define OP_PREPARE_ROOTFS     7   /* rootfs path, parent mount point to make private ("" = none) */
#define OP_BIND               8   /* source, dest, recursive, set, clr, rset, rclr, propagation, prop_recursive, resolve, proc_ok */
#define OP_MOUNT_FS           9   /* fstype, source, dest, params, attr_set, attr_clr, propagation, resolve, proc_ok */
#define OP_MKNOD              10  /* dest, mode, major, minor, uid, gid */
#define OP_BIND_DEVICE        11  /* host path, dest */
#define OP_SYMLINK            12  /* target, dest */
#define OP_MKDIR              13  /* dest, mode */
#define OP_CONSOLE            14  /* console socket fd, rows, cols, uid, gid, 1 = bind it on dev/console */
#define OP_MASK               15  /* dest */
#define OP_READONLY           16  /* dest */
#define OP_RUN_HOOK           17  /* path, args, env, timeout seconds; stdin = last ACK payload */
#define OP_ROOT_READONLY      18
#define OP_PIVOT_ROOT         19
#define OP_MOVE_ROOT          20  /* --no-pivot: MS_MOVE the rootfs onto / and chroot */
#define OP_SETHOSTNAME        21  /* name */
#define OP_SETDOMAINNAME      22  /* name */
#define OP_SETRLIMIT          23  /* resource, soft, hard */
#define OP_PERSONALITY        24  /* persona */
#define OP_SCHED              25  /* policy, flags, nice, priority, runtime, deadline, period */
#define OP_IOPRIO             26  /* ioprio value */
#define OP_AFFINITY           27  /* cpu mask bytes */
#define OP_NO_NEW_PRIVS       28
#define OP_SECCOMP            29  /* filter flags, bpf bytes, 1 = send the listener fd */
#define OP_CAP_BOUNDING       30  /* mask of capabilities to keep */
#define OP_SETGROUPS          31  /* packed u32 gids */
#define OP_SETGID             32  /* gid */
#define OP_SETUID             33  /* uid; capabilities are kept across the change */
#define OP_CAPSET             34  /* effective, permitted, inheritable */
#define OP_AMBIENT            35  /* mask to raise */
#define OP_UMASK              36  /* mask */
#define OP_CHDIR              37  /* path */
#define OP_SETSID             38
#define OP_CTTY               39  /* the console peer becomes stdio and the controlling tty */
#define OP_LOOKUP_EXEC        40  /* argv[0], PATH value */
#define OP_REPORT_CREATED     41
#define OP_WAIT_START         42  /* fifo fd */
#define OP_EXEC               43  /* argv, env */
#define OP_CLOSE_SETUP_FDS    44
#define OP_KEYRING            45  /* session keyring name */
#define OP_SET_CTTY_FD        46  /* fd given to the init (exec with a console socket) */
#define OP_SETATTR            47  /* dest, set, clr, recursive: change an existing mount */
#define OP_DEFAULT_HOME       48  /* uid: add HOME from the container's /etc/passwd to the exec env */
#define OP_MEMPOLICY          49  /* mode | flags, node mask bytes */
#define OP_SETNS_FD           50  /* fd (a pidfd), namespace flags: join them all at once */
#define OP_OPEN_ROOT          51  /* exec: the container's / (where setns left us) becomes the root fd */
#define OP_MOUNT_GUARD        52  /* dir, allowed paths: no later mount may resolve into dir (or onto the rootfs) */

/* resolve modes for mount destinations */
#define RES_IN_ROOT           0   /* symlinks are followed, but never out of the rootfs */
#define RES_NO_SYMLINKS       1   /* any symlink in the path is refused (proc, sysfs) */

#endif
