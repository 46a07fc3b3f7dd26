package dev.jrun.runtime.process;

/**
 * The framing of the sync socket between jrun and jrun-init (SOCK_STREAM, both directions):
 * u32 type, u32 length, then length bytes of payload, little endian.  The plan payload is
 * "JRP2", u32 step count, then the steps as {@link dev.jrun.runtime.plan.InitPlan} encodes
 * them.  runtime/src/main/c/protocol.h is generated from these constants and the plan's steps
 * (PlanProtocolTest keeps it current), so both sides share one definition.
 */
public final class Wire {
    /** java -> init: the plan. */
    public static final int MSG_PLAN = 1;
    /** java -> init: carry on; the payload is the state JSON after SYNC_HOOKS, else empty. */
    public static final int MSG_ACK = 2;
    /** init -> java: u32 sync tag; the init waits for MSG_ACK. */
    public static final int MSG_SYNC = 10;
    /** init -> java: i32 host pid of the forked process. */
    public static final int MSG_CHILD_PID = 11;
    /** init -> java: i32 step index, i32 errno, detail text. */
    public static final int MSG_ERROR = 12;
    /** init -> java: ready (created, or about to exec). */
    public static final int MSG_CREATED = 13;
    /**
     * init -> java: u32 fd kind, i32 the fd's number in the sender, which keeps it open until the
     * next sync; java copies it with pidfd_getfd(2).  As runc: only write(2) carries it, so a
     * notify rule may cover sendmsg.
     */
    public static final int MSG_FD = 14;
    /**
     * init -> java: a hook failed: i32 step index, i32 how (HookOutcome.How, from 1), i64 value,
     * u32 length of its stdout, its stdout, then its stderr.
     */
    public static final int MSG_HOOK_FAILED = 15;
    /** init -> java: something to warn about, set-up goes on: i32 step index, i32 errno, detail text. */
    public static final int MSG_WARNING = 16;

    /** Place me (the first process) in the container's cgroup. */
    public static final int SYNC_CGROUP = 1;
    /** Write the uid/gid maps of the user namespace I just made. */
    public static final int SYNC_USERNS = 2;
    /** Run the prestart and createRuntime hooks; the answer carries the state JSON. */
    public static final int SYNC_HOOKS = 3;
    /** A seccomp listener fd was named (MSG_FD); hand it to the agent. */
    public static final int SYNC_SECCOMP = 4;

    /** MSG_FD kind: the seccomp notify listener. */
    public static final int FD_SECCOMP_LISTENER = 1;

    private Wire() {
    }
}
