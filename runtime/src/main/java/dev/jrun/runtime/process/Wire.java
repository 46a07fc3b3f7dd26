package dev.jrun.runtime.process;

/** Message types and sync tags of the executor protocol; mirrors runtime/src/main/c/protocol.h. */
public final class Wire {
    public static final int MSG_PLAN = 1;
    public static final int MSG_ACK = 2;
    public static final int MSG_ABORT = 3;
    public static final int MSG_SYNC = 10;
    public static final int MSG_CHILD_PID = 11;
    public static final int MSG_ERROR = 12;
    public static final int MSG_CREATED = 13;
    public static final int MSG_FD = 14;

    public static final int SYNC_CGROUP = 1;
    public static final int SYNC_USERNS = 2;
    public static final int SYNC_HOOKS = 3;
    public static final int SYNC_SECCOMP = 4;

    public static final int FD_SECCOMP_LISTENER = 1;

    private Wire() {
    }
}
