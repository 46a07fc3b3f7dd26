package dev.jrun.runtime.linux;

/**
 * Unix seqpacket sockets as the jrun server uses them: listen, accept, learn who is on the
 * other end, and move messages with file descriptors attached.  Separate from {@link Syscalls}
 * so the container operations, and their fakes, do not grow a server's needs.
 */
public interface UnixSockets {

    /** Binds a listening SOCK_SEQPACKET socket at path (which must not exist). */
    int listen(String path) throws NativeException;

    /** Connects to the SOCK_SEQPACKET socket at path. */
    int connect(String path) throws NativeException;

    /** Accepts the next connection; the new fd is close-on-exec. */
    int accept(int listener) throws NativeException;

    /** The peer's credentials at connect time (SO_PEERCRED). */
    Credentials peer(int socket) throws NativeException;

    /**
     * Receives one message and the fds attached to it (close-on-exec).
     *
     * @return null at end of stream
     * @throws NativeException with EMSGSIZE when the message or its fds did not fit (fds that
     *     did arrive are closed)
     */
    Message receive(int socket, int maxBytes, int maxFds) throws NativeException;

    /** Sends one message with these fds attached (none if empty). */
    void send(int socket, byte[] data, int[] fds) throws NativeException;

    /** Marks fd close-on-exec. */
    void closeOnExec(int fd) throws NativeException;

    record Credentials(int pid, int uid, int gid) {
    }

    record Message(byte[] data, int[] fds) {
    }

    static UnixSockets get() {
        return LinuxUnixSockets.instance();
    }
}
