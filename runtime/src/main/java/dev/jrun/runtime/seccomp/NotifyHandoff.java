package dev.jrun.runtime.seccomp;

import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.spec.OciVersion;
import dev.jrun.spec.SpecWriter;
import dev.jrun.spec.json.JsonStyle;
import dev.jrun.spec.model.ContainerProcessState;
import dev.jrun.spec.model.LinuxSeccomp;
import dev.jrun.spec.model.State;
import java.util.List;

/**
 * Hands a seccomp listener fd to the agent at {@code linux.seccomp.listenerPath}, as the
 * runtime-spec's "seccomp user notification" asks: one new connection to the AF_UNIX stream
 * socket, the container process state as JSON with the fd attached by SCM_RIGHTS in the same
 * sendmsg, then the connection is closed.
 */
public final class NotifyHandoff {
    /** The name of the listener fd in the state's {@code fds}. */
    public static final String SECCOMP_FD = "seccompFd";

    private NotifyHandoff() {
    }

    /** The container process state for the agent. */
    public static byte[] message(LinuxSeccomp seccomp, State state, int pid) {
        String metadata = seccomp.listenerMetadata();
        ContainerProcessState cps = new ContainerProcessState(OciVersion.CURRENT, List.of(SECCOMP_FD), (long) pid,
                metadata == null || metadata.isEmpty() ? null : metadata, state);
        return SpecWriter.write(cps, JsonStyle.COMPACT);
    }

    /**
     * Sends the listener fd; the caller keeps (and closes) its own copy.
     *
     * @param pid the container process as the runtime sees it (the host pid)
     */
    public static void send(Syscalls sys, LinuxSeccomp seccomp, State state, int pid, int listenerFd)
            throws SeccompException {
        String path = seccomp.listenerPath();
        if (path == null || path.isEmpty()) {
            throw new SeccompException("seccomp: SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath");
        }
        byte[] message = message(seccomp, state, pid);
        int socket;
        try {
            socket = sys.connectUnix(path);
        } catch (NativeException e) {
            throw new SeccompException("failed to connect with seccomp agent specified in the seccomp profile: " + e.getMessage(), e);
        }
        try {
            sys.sendWithFd(socket, message, listenerFd);
        } catch (NativeException e) {
            throw new SeccompException("seccomp: send the listener fd to " + path + ": " + e.getMessage(), e);
        } finally {
            sys.close(socket);
        }
    }
}
