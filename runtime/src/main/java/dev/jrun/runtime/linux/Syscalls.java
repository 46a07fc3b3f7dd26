package dev.jrun.runtime.linux;

import java.util.List;

/**
 * The kernel as the rest of jrun sees it: the few primitives that plain Java file I/O cannot
 * do.  {@link #get()} loads the real implementation lazily, so commands that never need a
 * native call never pay for loading jnr-ffi.
 */
public interface Syscalls {

    /** fd actions for {@link #spawn}: child fd {@code k} is a copy of parent fd {@code childFds[k]}; -1 leaves it closed. */
    int spawn(String path, List<String> argv, List<String> env, int[] childFds) throws NativeException;

    /** A memfd holding {@code content}, sealed against every change, close-on-exec. */
    int sealedMemfd(String name, byte[] content) throws NativeException;

    int[] socketPair() throws NativeException;

    int[] pipe() throws NativeException;

    /** A socket pair that keeps message boundaries (SOCK_SEQPACKET), as CRIU's RPC needs. */
    int[] seqpacketPair() throws NativeException;

    /** Opens a file or directory read-only, close-on-exec, to hand its fd to another program. */
    int openReadOnly(String path) throws NativeException;

    /** The file status flags (F_GETFL) of an open fd. */
    int fdFlags(int fd) throws NativeException;

    int connectUnix(String path) throws NativeException;

    /** Opens a FIFO for reading and writing, which never blocks (Linux semantics). */
    int openFifo(String path) throws NativeException;

    void mkfifo(String path, int mode) throws NativeException;

    int read(int fd, byte[] buf, int off, int len) throws NativeException;

    void writeAll(int fd, byte[] buf, int off, int len) throws NativeException;

    /** Reads up to len bytes and at most one fd passed with SCM_RIGHTS. */
    Received receive(int fd, byte[] buf, int off, int len) throws NativeException;

    void sendWithFd(int socket, byte[] data, int fd) throws NativeException;

    void close(int fd);

    void kill(int pid, int signal) throws NativeException;

    /** A pidfd for pid: it keeps naming that process even if the pid is later reused. */
    int pidfdOpen(int pid) throws NativeException;

    /** A copy, in this process, of another process's fd (pidfd_getfd(2)); close-on-exec. */
    int pidfdGetfd(int pidfd, int targetFd) throws NativeException;

    /** waitpid; returns the raw status, or -1 with WNOHANG when the child has not changed state. */
    int waitpid(int pid, boolean noHang) throws NativeException;

    /** Polls the fds for input; returns, per fd, whether it is readable (or hung up). */
    boolean[] pollIn(int[] fds, int timeoutMillis) throws NativeException;

    int getuid();

    boolean isatty(int fd);

    /** rows, cols of a terminal, or null if fd is not one. */
    int[] windowSize(int fd);

    void setWindowSize(int fd, int rows, int cols) throws NativeException;

    /** Stops a terminal from turning "\n" into "\r\n" on output (clears ONLCR). */
    void clearOnlcr(int fd) throws NativeException;

    /** Puts a terminal in raw mode; returns the previous settings for {@link #restoreTerminal}. */
    byte[] makeRaw(int fd) throws NativeException;

    void restoreTerminal(int fd, byte[] saved);

    /**
     * Lazily unmounts the mount at path if it is still the mount with that id: the path is
     * resolved without following any symlink, and the check and the unmount act on one open fd,
     * so no path swapped in meanwhile can steer the unmount elsewhere.
     *
     * @return false when something else (or nothing) is mounted there now
     */
    boolean detachMount(String path, long mountId) throws NativeException;

    record Received(int bytes, int fd) {
    }

    static Syscalls get() {
        return LinuxSyscalls.instance();
    }

    /**
     * Loads the native layer and binds the functions create, run and exec call, on whatever
     * thread calls it.  jnr-ffi binds each function on its first call (milliseconds each), so
     * a background thread that does this while the main thread parses and validates takes
     * tens of milliseconds off those commands.  Only harmless calls are made.
     */
    static void preload() {
        LinuxSyscalls.instance().warmUp();
    }

    static boolean exited(int status) {
        return (status & 0x7f) == 0;
    }

    static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    static int termSignal(int status) {
        return status & 0x7f;
    }

    /** The shell convention runc uses: exit code, or 128 + signal. */
    static int shellStatus(int status) {
        return exited(status) ? exitCode(status) : 128 + termSignal(status);
    }
}
