/*
 * jrun's front end.  Starting a JVM per call costs more than a whole runc call, so a warm jrun
 * server (a JVM running the same Java code) runs calls for this program over a unix socket.
 * It holds no policy: it passes its argv, cwd, environment and every open fd to the server,
 * and exits with the status the server returns.  When no server can be used, or the server
 * sends the call back, it execs the in-process launcher (lib/jrun/jrun-direct): a container
 * operation never fails because of the server.  The protocol is described in
 * cli/src/main/java/dev/jrun/cli/server/Wire.java; the socket's name in ServerKey.java.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <poll.h>
#include <termios.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 253 /* SCM_MAX_FD */
#define SERVER_MAIN "dev.jrun.cli.server.Server"

extern char **environ;

static char direct[PATH_MAX];

/* Runs the call in this process's place, as jrun ran every call before the server existed. */
static void run_direct(char **argv)
{
    argv[0] = direct;
    execv(direct, argv);
    fprintf(stderr, "jrun: cannot run %s: %s\n", direct, strerror(errno));
    exit(127);
}

struct buf {
    char *data;
    size_t len, cap;
};

static void put(struct buf *b, const char *s)
{
    size_t n = strlen(s) + 1;
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->data = realloc(b->data, b->cap);
        if (!b->data) {
            fprintf(stderr, "jrun: out of memory\n");
            exit(1);
        }
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void put_number(struct buf *b, long n)
{
    char s[32];
    snprintf(s, sizeof s, "%ld", n);
    put(b, s);
}

static uint64_t fnv1a(const char *s, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Only the hint of a key: the server parses the call and sends it back if the root is not its. */
static const char *root_hint(int argc, char **argv)
{
    const char *root = "/run/jrun";
    for (int i = 1; i < argc; i++) {
        if ((!strcmp(argv[i], "--root") || !strcmp(argv[i], "-root")) && i + 1 < argc)
            return argv[i + 1];
        if (!strncmp(argv[i], "--root=", 7))
            return argv[i] + 7;
        if (!strncmp(argv[i], "-root=", 6))
            return argv[i] + 6;
    }
    return root;
}

/*
 * The global flags are those before the subcommand.  Returns the subcommand's index (argc for
 * none); *no_server is set when --no-server is among them: it turns the server off for this call.
 */
static int global_flags(int argc, char **argv, int *no_server)
{
    static const char *valued[] = {"root", "log", "log-format", "criu", "rootless", NULL};
    *no_server = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-')
            return i;
        const char *name = a + (a[1] == '-' ? 2 : 1);
        if (!strcmp(name, "no-server"))
            *no_server = 1;
        for (int v = 0; valued[v] && !strchr(name, '='); v++)
            if (!strcmp(name, valued[v])) {
                i++;
                break;
            }
    }
    return argc;
}

static int private_dir(const char *dir, uid_t uid)
{
    struct stat st;
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return -1;
    if (lstat(dir, &st) < 0)
        return -1;
    /* another user could otherwise plant a socket that impersonates the server */
    if (!S_ISDIR(st.st_mode) || st.st_uid != uid || (st.st_mode & 077))
        return -1;
    return 0;
}

/* Takes the lock on SOCKET.lock if it is free and still the file at that path; -1 if not. */
static int take_lock(const char *socket_path)
{
    char lock_path[PATH_MAX];
    snprintf(lock_path, sizeof lock_path, "%s.lock", socket_path);
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (lock < 0)
        return -1;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    struct stat held, named;
    /* a server that ended removed the file it held: a lock on that one guards nothing */
    if (fcntl(lock, F_OFD_SETLK, &fl) < 0 || fstat(lock, &held) < 0 || lstat(lock_path, &named) < 0 ||
        held.st_ino != named.st_ino || held.st_dev != named.st_dev) {
        close(lock);
        return -1;
    }
    return lock;
}

/*
 * This process becomes the server: stdio on /dev/null, no other fd but the lock (an open file
 * description lock, held exactly as long as the server lives), once `caller` has exited (at
 * most 2 s: a JVM booting beside the call that started us would slow that call down).
 */
static void become_server(int lock, pid_t caller, const char *socket_path, const char *root, const char *build)
{
    int waiting = caller > 0 ? (int)syscall(SYS_pidfd_open, caller, 0) : -1;
    int caller_gone = waiting < 0 && errno == ESRCH;
    int null = open("/dev/null", O_RDWR);
    if (null < 0)
        _exit(1);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    int keep = lock > 2 ? lock : fcntl(lock, F_DUPFD, 3);
    for (int fd = 3; fd < 1024; fd++)
        if (fd != keep && fd != waiting)
            close(fd);
    fcntl(keep, F_SETFD, 0);
    char lock_fd[16];
    snprintf(lock_fd, sizeof lock_fd, "%d", keep);
    setenv("JRUN_SERVER_LOCK_FD", lock_fd, 1);
    setenv("JRUN_MAIN_CLASS", SERVER_MAIN, 1);
    unsetenv("NOTIFY_SOCKET");
    if (chdir("/") < 0)
        _exit(1);
    umask(077);
    if (waiting >= 0) {
        struct pollfd p = {.fd = waiting, .events = POLLIN};
        while (poll(&p, 1, 2000) < 0 && errno == EINTR) {
        }
        close(waiting);
    } else if (caller > 0 && !caller_gone) {
        usleep(400 * 1000);
    }
    execl(direct, "jrun-direct", socket_path, root, build, (char *)NULL);
    _exit(127);
}

/*
 * Starts a server detached from the caller (own session) unless one is already starting; the
 * call that starts it runs in-process meanwhile.
 */
static void start_server(const char *socket_path, const char *root, const char *build)
{
    int lock = take_lock(socket_path);
    if (lock < 0)
        return;
    pid_t caller = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        if (fork() != 0)
            _exit(0);
        become_server(lock, caller, socket_path, root, build);
    }
    close(lock);
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

static int send_request(int sock, struct buf *req, int *fds, int nfds);

/* The request a call opens with (Wire.java): "request 1 BUILD CWD ARGC ARGV... ENVC ENV... NFDS FD...". */
static void encode_request(struct buf *req, const char *build, const char *cwd, int argc, char *const *argv,
                           char *const *env, const int *fds, int nfds)
{
    put(req, "request");
    put(req, "1");
    put(req, build);
    put(req, cwd);
    put_number(req, argc);
    for (int i = 0; i < argc; i++)
        put(req, argv[i]);
    int envc = 0;
    while (env[envc])
        envc++;
    put_number(req, envc);
    for (int i = 0; i < envc; i++)
        put(req, env[i]);
    put_number(req, nfds);
    for (int i = 0; i < nfds; i++)
        put_number(req, fds[i]);
}

/*
 * The server was adopted by a subreaper (containerd's shim, conmon): no fork from inside one
 * can leave it, and conmon ends only when it has no child left.  If a process forked from here
 * lands on init instead, it asks that server to hand over (`server handover`), and becomes the
 * server once the old one has gone.  From under a subreaper it just exits.
 */
static void start_successor(const char *socket_path, const char *root, const char *build, const char *cwd)
{
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        pid_t middle = getpid();
        if (fork() != 0)
            _exit(0);
        while (getppid() == middle)
            usleep(1000);
        if (getppid() != 1)
            _exit(0);
        int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        strcpy(addr.sun_path, socket_path);
        if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0)
            _exit(0);
        struct buf req = {0};
        char *call[] = {"jrun", "--root", (char *)root, "server", "handover"};
        char *no_env[] = {NULL};
        encode_request(&req, build, cwd, 5, call, no_env, NULL, 0);
        if (send_request(sock, &req, NULL, 0) < 0)
            _exit(0);
        char msg[512];
        ssize_t n;
        int handed = 0;
        while ((n = recv(sock, msg, sizeof msg - 1, 0)) > 0) {
            msg[n] = 0;
            if (!strcmp(msg, "exit")) {
                handed = !strcmp(msg + strlen(msg) + 1, "0");
                break;
            }
        }
        close(sock);
        if (!handed)
            _exit(0);
        /* the old server lets go of the lock when it exits, after its running calls */
        for (int i = 0; i < 500; i++) {
            int lock = take_lock(socket_path);
            if (lock >= 0)
                become_server(lock, 0, socket_path, root, build);
            usleep(20 * 1000);
        }
        _exit(0);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

static void reply(int sock, const char *kind, long value);

/*
 * A foreground run or exec: the container's process is our child, and the caller's signals and
 * terminal are ours.  The server says which signals to forward and hands over the pty master
 * when there is a tty to proxy; this is runc's signal and tty handling, carried out here.
 */
static volatile pid_t fg_pid = -1;
static volatile int fg_master = -1;
static int child_pipe[2] = {-1, -1};
static struct termios saved_termios;
static int termios_saved;

static void restore_terminal(void)
{
    if (termios_saved) {
        tcsetattr(0, TCSANOW, &saved_termios);
        termios_saved = 0;
    }
}

static void copy_window_size(void)
{
    struct winsize ws;
    if (fg_master >= 0 && ioctl(0, TIOCGWINSZ, &ws) == 0)
        ioctl(fg_master, TIOCSWINSZ, &ws);
}

static void on_forwarded(int sig)
{
    int saved = errno;
    if (sig == SIGWINCH && fg_master >= 0)
        copy_window_size();
    else if (fg_pid > 0)
        kill(fg_pid, sig);
    errno = saved;
}

static void on_child(int sig)
{
    (void)sig;
    int saved = errno;
    if (child_pipe[1] >= 0 && write(child_pipe[1], "", 1) < 0) {
        /* full: a wake-up is already pending */
    }
    errno = saved;
}

/* "forward PID SIGNAL...": from now on those signals go to PID (SIGWINCH resizes a proxied tty). */
static void forward(int sock, char **f, int nf)
{
    if (nf < 2) {
        reply(sock, "error", EPROTO);
        return;
    }
    fg_pid = atoi(f[1]);
    struct sigaction sa = {.sa_handler = on_forwarded, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    for (int i = 2; i < nf; i++)
        sigaction(atoi(f[i]), &sa, NULL);
    /* resizes happen once there is a tty, whether or not SIGWINCH is forwarded */
    sigaction(SIGWINCH, &sa, NULL);
    reply(sock, "ok", 0);
}

/* "terminal", the pty master attached: raw mode on our side if stdin is a tty, its size copied. */
static void terminal(int sock, int *fds, int nfds)
{
    if (nfds != 1) {
        reply(sock, "error", EPROTO);
        return;
    }
    fg_master = fcntl(fds[0], F_DUPFD_CLOEXEC, 3);
    if (fg_master < 0) {
        reply(sock, "error", errno);
        return;
    }
    if (isatty(0) && tcgetattr(0, &saved_termios) == 0) {
        struct termios raw = saved_termios;
        cfmakeraw(&raw);
        termios_saved = tcsetattr(0, TCSANOW, &raw) == 0;
    }
    copy_window_size();
    reply(sock, "ok", 0);
}

static int write_all(int fd, const char *b, ssize_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= w;
    }
    return 0;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/*
 * "foreground PID": copies stdin to the pty master and the master to stdout (when there is a
 * tty) until PID exits and its output is drained (at most 2 s more); replies with the raw wait status.
 */
static void foreground(int sock, const char *arg)
{
    pid_t pid = atoi(arg);
    int status = 0;
    pid_t r;
    if (fg_master < 0) {
        do
            r = waitpid(pid, &status, 0);
        while (r < 0 && errno == EINTR);
        reply(sock, r < 0 ? "error" : "status", r < 0 ? errno : status);
        return;
    }
    struct sigaction old_pipe, ignore = {.sa_handler = SIG_IGN};
    sigaction(SIGPIPE, &ignore, &old_pipe);
    if (pipe2(child_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
        reply(sock, "error", errno);
        return;
    }
    struct sigaction sa = {.sa_handler = on_child, .sa_flags = SA_RESTART | SA_NOCLDSTOP};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    int in_open = 1, exited = 0, err = 0;
    long deadline = 0;
    char buf[8192];
    for (;;) {
        if (!exited) {
            r = waitpid(pid, &status, WNOHANG);
            if (r == pid) {
                exited = 1;
                deadline = now_ms() + 2000;
            } else if (r < 0 && errno != EINTR) {
                err = errno;
                break;
            }
        }
        if (exited && fg_master < 0)
            break;
        struct pollfd p[3];
        int n = 0, at_master = -1, at_in = -1;
        p[n++] = (struct pollfd){.fd = child_pipe[0], .events = POLLIN};
        if (fg_master >= 0) {
            at_master = n;
            p[n++] = (struct pollfd){.fd = fg_master, .events = POLLIN};
        }
        if (in_open && fg_master >= 0 && !exited) {
            at_in = n;
            p[n++] = (struct pollfd){.fd = 0, .events = POLLIN};
        }
        long wait = exited ? deadline - now_ms() : -1;
        if (exited && wait <= 0)
            break;
        int rc = poll(p, n, (int)wait);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0) {
            err = errno;
            break;
        }
        while (read(child_pipe[0], buf, sizeof buf) > 0) {
        }
        if (at_master >= 0 && p[at_master].revents) {
            ssize_t got = read(fg_master, buf, sizeof buf);
            if (got > 0) {
                /* a closed stdout drops the output, as a write to a closed pipe would */
                write_all(1, buf, got);
            } else if (got == 0 || errno != EINTR) {
                /* EIO once the last holder of the pty's other end has gone */
                close(fg_master);
                fg_master = -1;
            }
        }
        if (at_in >= 0 && p[at_in].revents) {
            ssize_t got = read(0, buf, sizeof buf);
            if (got > 0) {
                if (write_all(fg_master, buf, got) < 0)
                    in_open = 0;
            } else if (got == 0 || errno != EINTR) {
                in_open = 0;
            }
        }
    }
    if (fg_master >= 0) {
        close(fg_master);
        fg_master = -1;
    }
    restore_terminal();
    sigaction(SIGPIPE, &old_pipe, NULL);
    if (err == 0 && !exited) {
        do
            r = waitpid(pid, &status, 0);
        while (r < 0 && errno == EINTR);
        if (r < 0)
            err = errno;
    }
    reply(sock, err ? "error" : "status", err ? err : status);
}

static int send_request(int sock, struct buf *req, int *fds, int nfds)
{
    struct iovec iov = {.iov_base = req->data, .iov_len = req->len};
    union {
        char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (nfds > 0) {
        msg.msg_control = control.buf;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    }
    ssize_t n;
    do
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)req->len ? 0 : -1;
}

static void reply(int sock, const char *kind, long value)
{
    char b[64];
    int n = snprintf(b, sizeof b, "%s%c%ld", kind, 0, value);
    send(sock, b, n + 1, MSG_NOSIGNAL);
}

/* Splits a message into its NUL-terminated fields; returns how many, or -1. */
static int split(char *msg, ssize_t n, char **fields, int max)
{
    int count = 0;
    char *p = msg;
    while (p < msg + n) {
        char *end = memchr(p, 0, msg + n - p);
        if (!end || count == max)
            return -1;
        fields[count++] = p;
        p = end + 1;
    }
    return count;
}

/*
 * The server asks for jrun-init to be started from here, so the container descends from our
 * caller: "spawn PATH ARGC ARGV... NSLOTS SLOT...", where slot N (fd N of the new process) is
 * "cK", our own fd K, or "pI", the I-th fd attached to the message.
 */
static void spawn(int sock, char **f, int nf, int *fds, int nfds)
{
    int argc = nf > 2 ? atoi(f[2]) : -1;
    if (argc < 1 || 3 + argc >= nf) {
        reply(sock, "error", EPROTO);
        return;
    }
    char **args = f + 3;
    int nslots = atoi(f[3 + argc]);
    char **slots = f + 4 + argc;
    if (nslots < 0 || 4 + argc + nslots != nf) {
        reply(sock, "error", EPROTO);
        return;
    }
    int src[MAX_FDS + 64], highest = nslots;
    if (nslots > (int)(sizeof src / sizeof src[0])) {
        reply(sock, "error", EPROTO);
        return;
    }
    for (int i = 0; i < nslots; i++) {
        int k = atoi(slots[i] + 1);
        if (slots[i][0] == 'c')
            src[i] = k;
        else if (slots[i][0] == 'p' && k >= 0 && k < nfds)
            src[i] = fds[k];
        else {
            reply(sock, "error", EPROTO);
            return;
        }
        if (src[i] > highest)
            highest = src[i];
    }
    char *argv_copy[argc + 1];
    memcpy(argv_copy, args, sizeof(char *) * argc);
    argv_copy[argc] = NULL;
    char *no_env[] = {NULL};
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        /* parked above every slot and source first, so no dup2 below clobbers a source */
        int parked[nslots];
        for (int i = 0; i < nslots; i++)
            if ((parked[i] = fcntl(src[i], F_DUPFD, highest + 1)) < 0)
                _exit(127);
        for (int i = 0; i < nslots; i++)
            if (dup2(parked[i], i) < 0)
                _exit(127);
        if (syscall(SYS_close_range, nslots, ~0U, 0) < 0) {
            struct rlimit rl;
            int limit = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
            for (int fd = nslots; fd < limit; fd++)
                close(fd);
        }
        execve(f[1], argv_copy, no_env);
        _exit(127);
    }
    reply(sock, pid < 0 ? "error" : "pid", pid < 0 ? errno : pid);
}

int main(int argc, char **argv)
{
    /* a raw terminal is never left behind, however this ends */
    atexit(restore_terminal);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        fprintf(stderr, "jrun: cannot find where jrun is installed: /proc/self/exe: %s\n", strerror(errno));
        return 1;
    }
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    *slash = 0; /* .../bin */
    slash = strrchr(exe, '/');
    if (slash)
        *slash = 0; /* the prefix */
    if (snprintf(direct, sizeof direct, "%s/lib/jrun/jrun-direct", exe) >= (int)sizeof direct) {
        fprintf(stderr, "jrun: the path jrun is installed under is too long: %s\n", exe);
        return 1;
    }

    const char *off = getenv("JRUN_NO_SERVER");
    int no_server;
    int sub = global_flags(argc, argv, &no_server);
    if ((off && *off && strcmp(off, "0")) || no_server)
        run_direct(argv);

    char build[128];
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/lib/jrun/build-id", exe) >= (int)sizeof path)
        run_direct(argv);
    int bf = open(path, O_RDONLY | O_CLOEXEC);
    if (bf < 0)
        run_direct(argv);
    n = read(bf, build, sizeof build - 1);
    close(bf);
    if (n <= 0)
        run_direct(argv);
    build[n] = 0;
    build[strcspn(build, "\n")] = 0;

    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        run_direct(argv);
    char root[PATH_MAX];
    const char *hint = root_hint(argc, argv);
    int rlen = hint[0] == '/' ? snprintf(root, sizeof root, "%s", hint)
                              : snprintf(root, sizeof root, "%s/%s", strcmp(cwd, "/") ? cwd : "", hint);
    if (rlen < 0 || rlen >= (int)sizeof root)
        run_direct(argv);

    struct stat mnt, user;
    if (stat("/proc/self/ns/mnt", &mnt) < 0 || stat("/proc/self/ns/user", &user) < 0)
        run_direct(argv);
    uid_t uid = getuid();
    char dir[PATH_MAX];
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    const char *chosen = getenv("JRUN_SERVER_DIR");
    if (chosen && chosen[0] == '/')
        snprintf(dir, sizeof dir, "%s", chosen);
    else if (uid == 0)
        snprintf(dir, sizeof dir, "/run/jrun-server");
    else if (xdg && xdg[0] == '/')
        snprintf(dir, sizeof dir, "%s/jrun-server", xdg);
    else
        snprintf(dir, sizeof dir, "/tmp/jrun-server-%u", (unsigned)uid);
    if (private_dir(dir, uid) < 0)
        run_direct(argv);
    char key[PATH_MAX + 64];
    int klen = snprintf(key, sizeof key, "%s%c%llu%c%llu", root, 0, (unsigned long long)mnt.st_ino, 0,
                        (unsigned long long)user.st_ino);
    char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    if (snprintf(socket_path, sizeof socket_path, "%s/%s-%016llx.sock", dir, build,
                 (unsigned long long)fnv1a(key, klen, 0xcbf29ce484222325ULL)) >= (int)sizeof socket_path)
        run_direct(argv);

    int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strcpy(addr.sun_path, socket_path);
    if (sock < 0)
        run_direct(argv);
    if (connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0) {
        close(sock);
        /* `server stop` or `status` with none running has nothing to start one for */
        if (sub == argc || strcmp(argv[sub], "server"))
            start_server(socket_path, root, build);
        run_direct(argv);
    }
    struct ucred peer;
    socklen_t plen = sizeof peer;
    if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &peer, &plen) < 0 || peer.uid != uid) {
        close(sock);
        run_direct(argv);
    }

    int fds[MAX_FDS], nfds = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d) {
        close(sock);
        run_direct(argv);
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        int fd = atoi(e->d_name);
        if (fd == dirfd(d) || fd == sock)
            continue;
        if (nfds == MAX_FDS) {
            closedir(d);
            close(sock);
            run_direct(argv);
        }
        fds[nfds++] = fd;
    }
    closedir(d);

    struct buf req = {0};
    encode_request(&req, build, cwd, argc, argv, environ, fds, nfds);
    if (send_request(sock, &req, fds, nfds) < 0) {
        close(sock);
        run_direct(argv);
    }
    free(req.data);

    int accepted = 0, retry = 0;
    for (;;) {
        char msg[65536];
        int got[MAX_FDS], ngot = 0;
        union {
            char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
            struct cmsghdr align;
        } control;
        struct iovec iov = {.iov_base = msg, .iov_len = sizeof msg - 1};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                            .msg_controllen = sizeof control.buf};
        do
            n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); n > 0 && c; c = CMSG_NXTHDR(&mh, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                int count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                memcpy(got + ngot, CMSG_DATA(c), sizeof(int) * count);
                ngot += count;
            }
        if (n <= 0) {
            close(sock);
            if (!accepted || retry)
                run_direct(argv);
            /* as if jrun itself had been killed: what the call did is unknown */
            fprintf(stderr, "jrun: the jrun server stopped during this call; it may have been carried out "
                            "in part (rerun it, or `jrun delete --force` to clean up)\n");
            return 1;
        }
        msg[n] = 0;
        const char *arg = msg + strlen(msg) + 1;
        if (arg > msg + n)
            arg = "";
        if (!strcmp(msg, "accepted")) {
            accepted = 1;
            retry = !strcmp(arg, "1");
        } else if (!strcmp(msg, "fallback")) {
            close(sock);
            run_direct(argv);
        } else if (!strcmp(msg, "exit")) {
            const char *hint = arg + strlen(arg) + 1;
            if (hint < msg + n && !strcmp(hint, "rehome"))
                start_successor(socket_path, root, build, cwd);
            return atoi(arg);
        } else if (!strcmp(msg, "spawn") && accepted) {
            char *fields[MAX_FDS + 512];
            int nf = split(msg, n, fields, sizeof fields / sizeof fields[0]);
            if (nf < 0)
                reply(sock, "error", EPROTO);
            else
                spawn(sock, fields, nf, got, ngot);
        } else if (!strcmp(msg, "forward") && accepted) {
            char *fields[130];
            int nf = split(msg, n, fields, sizeof fields / sizeof fields[0]);
            if (nf < 0)
                reply(sock, "error", EPROTO);
            else
                forward(sock, fields, nf);
        } else if (!strcmp(msg, "terminal") && accepted) {
            terminal(sock, got, ngot);
        } else if (!strcmp(msg, "foreground") && accepted) {
            foreground(sock, arg);
        } else if (!strcmp(msg, "wait") && accepted) {
            int status;
            pid_t r;
            do
                r = waitpid(atoi(arg), &status, 0);
            while (r < 0 && errno == EINTR);
            reply(sock, r < 0 ? "error" : "status", r < 0 ? errno : status);
        } else {
            fprintf(stderr, "jrun: unexpected message \"%s\" from the jrun server\n", msg);
            return 1;
        }
        for (int i = 0; i < ngot; i++)
            close(got[i]);
    }
}
