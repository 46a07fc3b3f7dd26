package dev.jrun.cli.server;

import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import java.util.List;

/**
 * This process's system calls, except that the processes the front end started are waited for
 * by the front end, their parent.
 */
final class FrontEndSyscalls implements Syscalls {
    private final Syscalls real;
    private final FrontEnd frontEnd;

    FrontEndSyscalls(Syscalls real, FrontEnd frontEnd) {
        this.real = real;
        this.frontEnd = frontEnd;
    }

    @Override
    public int waitpid(int pid, boolean noHang) throws NativeException {
        if (pid > 0 && frontEnd.isParentOf(pid)) {
            if (noHang) {
                throw new NativeException("wait for " + pid + " without blocking (the jrun front end is its parent)", 22);
            }
            return frontEnd.waitpid(pid);
        }
        return real.waitpid(pid, noHang);
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, int[] childFds) throws NativeException {
        return real.spawn(path, argv, env, childFds);
    }

    @Override
    public int sealedMemfd(String name, byte[] content) throws NativeException {
        return real.sealedMemfd(name, content);
    }

    @Override
    public int[] socketPair() throws NativeException {
        return real.socketPair();
    }

    @Override
    public int[] pipe() throws NativeException {
        return real.pipe();
    }

    @Override
    public int[] seqpacketPair() throws NativeException {
        return real.seqpacketPair();
    }

    @Override
    public int openReadOnly(String path) throws NativeException {
        return real.openReadOnly(path);
    }

    @Override
    public int fdFlags(int fd) throws NativeException {
        return real.fdFlags(fd);
    }

    @Override
    public int connectUnix(String path) throws NativeException {
        return real.connectUnix(path);
    }

    @Override
    public int openFifo(String path) throws NativeException {
        return real.openFifo(path);
    }

    @Override
    public void mkfifo(String path, int mode) throws NativeException {
        real.mkfifo(path, mode);
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) throws NativeException {
        return real.read(fd, buf, off, len);
    }

    @Override
    public void writeAll(int fd, byte[] buf, int off, int len) throws NativeException {
        real.writeAll(fd, buf, off, len);
    }

    @Override
    public Received receive(int fd, byte[] buf, int off, int len) throws NativeException {
        return real.receive(fd, buf, off, len);
    }

    @Override
    public void sendWithFd(int socket, byte[] data, int fd) throws NativeException {
        real.sendWithFd(socket, data, fd);
    }

    @Override
    public void close(int fd) {
        real.close(fd);
    }

    @Override
    public void kill(int pid, int signal) throws NativeException {
        real.kill(pid, signal);
    }

    @Override
    public int pidfdOpen(int pid) throws NativeException {
        return real.pidfdOpen(pid);
    }

    @Override
    public int pidfdGetfd(int pidfd, int targetFd) throws NativeException {
        return real.pidfdGetfd(pidfd, targetFd);
    }

    @Override
    public boolean[] pollIn(int[] fds, int timeoutMillis) throws NativeException {
        return real.pollIn(fds, timeoutMillis);
    }

    @Override
    public int getuid() {
        return real.getuid();
    }

    @Override
    public boolean isatty(int fd) {
        return real.isatty(fd);
    }

    @Override
    public int[] windowSize(int fd) {
        return real.windowSize(fd);
    }

    @Override
    public void setWindowSize(int fd, int rows, int cols) throws NativeException {
        real.setWindowSize(fd, rows, cols);
    }

    @Override
    public void clearOnlcr(int fd) throws NativeException {
        real.clearOnlcr(fd);
    }

    @Override
    public byte[] makeRaw(int fd) throws NativeException {
        return real.makeRaw(fd);
    }

    @Override
    public void restoreTerminal(int fd, byte[] saved) {
        real.restoreTerminal(fd, saved);
    }

    @Override
    public boolean detachMount(String path, long mountId) throws NativeException {
        return real.detachMount(path, mountId);
    }
}
