package dev.jrun.runtime.container;

import dev.jrun.runtime.hooks.HookOutcome;
import dev.jrun.runtime.linux.Errno;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.plan.InitPlan;
import dev.jrun.runtime.plan.Step;
import dev.jrun.runtime.process.SyncSocket;
import dev.jrun.runtime.process.Wire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The parent's side of the executor protocol, shared by create and exec: answer each sync
 * point, learn the pid of the process that becomes the container's (or exec's) process, and
 * turn a reported failure into a sentence.  The pids are kept so the caller can undo a failure.
 */
final class InitConversation {
    /** What the parent does at each sync point; create and exec differ in which they expect. */
    interface Parent {
        /** Place the executor (stage 1, not yet in any namespace) in the cgroup. */
        void placeInCgroup(int stage1) throws JrunException;

        /** The process that becomes the container's (or exec's) is forked: its host pid. */
        default void started(int pid) throws JrunException {
        }

        /** Write the uid/gid maps of the user namespace stage 1 just made. */
        default void writeIdMaps(int stage1) throws JrunException {
            throw new JrunException("unexpected request for id maps from jrun-init");
        }

        /** Run prestart/createRuntime hooks; returns the state JSON the executor's hooks read. */
        default byte[] runHooks(int pid) throws JrunException {
            throw new JrunException("unexpected request for hooks from jrun-init");
        }

        /** Something the user should hear about; set-up goes on. */
        default void warn(String message) {
        }

        /** Hand the seccomp listener fd to the agent at listenerPath. */
        void seccompListener(int pid, int fd) throws JrunException;
    }

    private final Syscalls sys;
    private final InitPlan plan;
    private int stage1;
    private int child = -1;

    InitConversation(Syscalls sys, InitPlan plan, int stage1) {
        this.sys = sys;
        this.plan = plan;
        this.stage1 = stage1;
    }

    /** The executor's first process, until it has forked and been reaped; -1 after. */
    int stage1() {
        return stage1;
    }

    /** The container's (or exec's) process, once known; -1 before. */
    int child() {
        return child;
    }

    /** Sends the plan; the executor then runs until its first sync point. */
    void sendPlan(SyncSocket socket) throws NativeException {
        socket.send(Wire.MSG_PLAN, plan.encode());
    }

    /** Answers the executor until the process is ready (created, or about to exec). */
    void run(SyncSocket socket, Parent parent) throws JrunException, NativeException {
        while (true) {
            SyncSocket.Message msg;
            try {
                msg = socket.receive();
            } catch (NativeException e) {
                throw new JrunException(howItDied());
            }
            switch (msg.type()) {
                case Wire.MSG_SYNC -> socket.send(Wire.MSG_ACK, sync(parent, msg.buffer().getInt()));
                case Wire.MSG_CHILD_PID -> {
                    child = msg.buffer().getInt();
                    sys.waitpid(stage1, false);
                    stage1 = -1;
                    parent.started(child);
                }
                case Wire.MSG_FD -> {
                    // the seccomp listener goes to the agent at once, before the executor's next syscall
                    ByteBuffer b = msg.buffer();
                    if (b.getInt() != Wire.FD_SECCOMP_LISTENER || child <= 0) {
                        throw new JrunException("unexpected file descriptor from jrun-init");
                    }
                    int theirs = b.getInt();
                    int pidfd = sys.pidfdOpen(child);
                    try {
                        int fd = sys.pidfdGetfd(pidfd, theirs);
                        try {
                            parent.seccompListener(child, fd);
                        } finally {
                            sys.close(fd);
                        }
                    } finally {
                        sys.close(pidfd);
                    }
                }
                case Wire.MSG_ERROR -> throw error(msg);
                case Wire.MSG_HOOK_FAILED -> throw hookFailed(msg);
                case Wire.MSG_WARNING -> parent.warn(warning(msg));
                case Wire.MSG_CREATED -> {
                    if (child <= 0) {
                        throw new JrunException("jrun-init reported ready before the process's pid");
                    }
                    return;
                }
                default -> throw new JrunException("unexpected message " + msg.type() + " from jrun-init");
            }
        }
    }

    /**
     * The executor hung up without a word: it was killed.  Every holder of the socket is gone,
     * so waiting for it cannot block for long; a SIGKILL during set-up is usually the
     * container's memory limit, which applies to jrun-init too.
     */
    private String howItDied() {
        int pid = child > 0 ? child : stage1;
        String when = child > 0 ? "while setting up the container" : "while setting up namespaces";
        try {
            int status = sys.waitpid(pid, false);
            if (pid == stage1) {
                stage1 = -1;
            } else {
                child = -1;
            }
            if (!Syscalls.exited(status)) {
                int sig = Syscalls.termSignal(status);
                return "jrun-init was killed by signal " + sig + " " + when
                        + (sig == 9 ? " (is the container's memory limit too small? it applies to jrun-init too)" : "");
            }
            return "jrun-init exited with status " + Syscalls.exitCode(status) + " " + when;
        } catch (NativeException e) {
            return "jrun-init exited " + when;
        }
    }

    private byte[] sync(Parent parent, int tag) throws JrunException {
        switch (tag) {
            case Wire.SYNC_CGROUP -> parent.placeInCgroup(stage1);
            case Wire.SYNC_USERNS -> parent.writeIdMaps(stage1);
            case Wire.SYNC_HOOKS -> {
                return parent.runHooks(child);
            }
            case Wire.SYNC_SECCOMP -> {
                // the listener fd went to the agent when it arrived (MSG_FD)
            }
            default -> throw new JrunException("unexpected sync " + tag + " from jrun-init");
        }
        return new byte[0];
    }

    /**
     * "description: detail: errno in words", e.g. `mount /proc on /b/rootfs/proc: permission
     * denied`; the executor's detail names a sub-step when the step itself is not what failed.
     * A step without a description (finding the executable) sends a complete sentence in
     * runc's words.
     */
    private JrunException error(SyncSocket.Message msg) {
        ByteBuffer b = msg.buffer();
        int step = b.getInt();
        int errno = b.getInt();
        String detail = new String(msg.payload(), 8, msg.payload().length - 8, StandardCharsets.UTF_8);
        String description = plan.describe(step);
        if (description.isEmpty()) {
            return new JrunException(detail);
        }
        if (plan.explain(step, errno) != null) {
            return new JrunException(plan.explain(step, errno));
        }
        StringBuilder text = new StringBuilder(description);
        if (!detail.isEmpty()) {
            text.append(": ").append(detail);
        }
        if (errno != 0) {
            text.append(": ").append(Errno.describe(errno));
        }
        return new JrunException(text.toString());
    }

    /** A capability that could not be raised, in runc's words; the only warning jrun-init sends. */
    private String warning(SyncSocket.Message msg) {
        ByteBuffer b = msg.buffer();
        int step = b.getInt();
        int errno = b.getInt();
        String detail = new String(msg.payload(), 8, msg.payload().length - 8, StandardCharsets.UTF_8);
        if (plan.step(step) instanceof Step.Ambient) {
            String name = dev.jrun.spec.linux.Capabilities.name(Integer.parseInt(detail));
            return "can't raise ambient capability " + (name != null ? name : "#" + detail) + ": " + Errno.describe(errno);
        }
        return plan.describe(step) + ": " + detail + ": " + Errno.describe(errno);
    }

    /** A hook jrun-init ran failed: the same sentence as for the hooks the parent runs. */
    private JrunException hookFailed(SyncSocket.Message msg) {
        ByteBuffer b = msg.buffer();
        int step = b.getInt();
        HookOutcome.How how = HookOutcome.How.of(b.getInt());
        long value = b.getLong();
        int outLen = b.getInt();
        byte[] p = msg.payload();
        String out = new String(p, 20, outLen, StandardCharsets.UTF_8);
        String err = new String(p, 20 + outLen, p.length - 20 - outLen, StandardCharsets.UTF_8);
        String message = plan.step(step) instanceof Step.RunHook hook
                ? new HookOutcome(how, value, out, err).message(hook.name(), hook.path())
                : "jrun-init reported a hook failure for step " + step + ", which runs no hook";
        return new JrunException(message);
    }

    /** Kills and reaps whatever was started: both are our children (the executor forks with CLONE_PARENT). */
    void killAll() {
        for (int pid : new int[] {child, stage1}) {
            if (pid > 0) {
                try {
                    sys.kill(pid, 9);
                    sys.waitpid(pid, false);
                } catch (NativeException e) {
                    // ESRCH/ECHILD: already gone and reaped
                }
            }
        }
    }
}
