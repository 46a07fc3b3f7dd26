package dev.jrun.runtime.linux;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The libc functions jrun calls.  Only this package may see it: everything above talks to
 * {@link Syscalls}, so tests can swap in a fake.  errno is saved by jnr-ffi after each call.
 */
public interface LibC {
    int getpid();

    int getuid();

    int kill(int pid, int sig);

    int close(int fd);

    long read(int fd, @Out byte[] buf, long count);

    long write(int fd, @In byte[] buf, long count);

    int open(String path, int flags, int mode);

    int mkfifo(String path, int mode);

    int fcntl(int fd, int cmd, int arg);

    int pipe2(@Out int[] fds, int flags);

    int socketpair(int domain, int type, int protocol, @Out int[] fds);

    int socket(int domain, int type, int protocol);

    int connect(int fd, Pointer addr, int addrlen);

    long sendmsg(int fd, Pointer msg, int flags);

    long recvmsg(int fd, Pointer msg, int flags);

    int memfd_create(String name, int flags);

    int poll(Pointer fds, long nfds, int timeout);

    int waitpid(int pid, @Out int[] status, int options);

    int ioctl(int fd, long request, Pointer arg);

    int isatty(int fd);

    int tcgetattr(int fd, Pointer termios);

    int tcsetattr(int fd, int optionalActions, Pointer termios);

    void cfmakeraw(Pointer termios);

    int posix_spawn(@Out int[] pid, String path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newfd);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

    int posix_spawnattr_destroy(Pointer attr);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    long syscall(long number, long a1, long a2, long a3, long a4);

    int statx(int dirfd, String path, int flags, int mask, Pointer buf);

    int umount2(String target, int flags);
}
