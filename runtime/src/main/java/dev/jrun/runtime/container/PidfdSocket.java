package dev.jrun.runtime.container;

import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * --pidfd-socket (runc 1.2+): a pidfd of the container's (or exec's) process, sent over the
 * unix socket a manager listens on, with runc's word for the kind of process ("standard" for a
 * container's init, "setns" for an exec'd one) as the message.  containerd's go-runc reads it.
 */
final class PidfdSocket {
    private PidfdSocket() {
    }

    static void send(Syscalls sys, Path socket, int pid, String kind) throws JrunException {
        int conn = -1;
        int pidfd = -1;
        try {
            conn = sys.connectUnix(socket.toString());
            pidfd = sys.pidfdOpen(pid);
            sys.sendWithFd(conn, kind.getBytes(StandardCharsets.US_ASCII), pidfd);
        } catch (NativeException e) {
            throw new JrunException("send a pidfd to " + socket + ": " + e.getMessage(), e);
        } finally {
            sys.close(pidfd);
            sys.close(conn);
        }
    }
}
