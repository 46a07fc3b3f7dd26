/*
 * jrun-probe: runs inside a container and reports, as JSON on stdout, what
 * the process sees (ids, namespaces, mounts, capabilities, rlimits, seccomp,
 * cgroups, terminal, ...). Integration tests parse the output to assert
 * isolation.
 *
 * Build: gcc -static -O2 -Wall -Wextra -o jrun-probe jrun-probe.c
 *
 * Usage:
 *   jrun-probe [info] [--sysctl NAME]...   one JSON object describing the process
 *   jrun-probe stat PATH...                lstat results keyed by path
 *   jrun-probe read PATH                   file content (or errno)
 *   jrun-probe getxattr PATH NAME          an extended attribute's value (or errno)
 *   jrun-probe write PATH DATA             try to write DATA to PATH
 *   jrun-probe mount-umount PATH [detach]  try umount2(PATH) and report errno
 *   jrun-probe syscall [--inline] NAME ARGS...
 *                                          run one syscall in a child, report ret/errno
 *                                          or the signal that killed the child
 *   jrun-probe sleep SECONDS [--trap]      sleep (--trap: exit on TERM/INT/HUP/USR1/USR2)
 *   jrun-probe exit CODE                   exit with CODE
 *   jrun-probe alloc MIB [HOLD_SECONDS]    touch MIB MiB page by page (progress on stderr)
 *   jrun-probe fork N [HOLD_SECONDS]       fork N sleeping children
 *   jrun-probe spin SECONDS                busy loop
 *
 * Errors are reported with symbolic errno names (EPERM, ENOENT, ...). Every
 * mode prints exactly one JSON object followed by a newline.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#define IOPRIO_WHO_PROCESS 1
#define MAX_FDS 4096

extern char **environ;

/* ------------------------------------------------------------------ */
/* JSON writer: a depth stack of "first element" flags for commas.    */
/* Pass key == NULL for array elements.                               */
/* ------------------------------------------------------------------ */

static int jdepth;
static int jfirst[64];

static void j_raw_string(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    putchar('"');
    while (i < len) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            putchar('\\');
            putchar(c);
            i++;
        } else if (c == '\n') {
            fputs("\\n", stdout); i++;
        } else if (c == '\t') {
            fputs("\\t", stdout); i++;
        } else if (c == '\r') {
            fputs("\\r", stdout); i++;
        } else if (c < 0x20 || c == 0x7f) {
            printf("\\u%04x", c); i++;
        } else if (c < 0x80) {
            putchar(c); i++;
        } else {
            /* pass valid UTF-8 through; map stray bytes to U+0080..U+00FF */
            size_t n = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
            size_t k;
            int ok = n > 0 && i + n <= len && !(c == 0xc0 || c == 0xc1 || c > 0xf4);
            for (k = 1; ok && k < n; k++)
                ok = (p[i + k] & 0xc0) == 0x80;
            if (ok) {
                fwrite(p + i, 1, n, stdout);
                i += n;
            } else {
                printf("\\u%04x", c);
                i++;
            }
        }
    }
    putchar('"');
}

static void j_key(const char *key)
{
    if (jfirst[jdepth])
        jfirst[jdepth] = 0;
    else
        putchar(',');
    if (key) {
        j_raw_string(key, strlen(key));
        putchar(':');
    }
}

static void j_open(const char *key, char bracket)
{
    if (jdepth > 0)
        j_key(key);
    putchar(bracket);
    jfirst[++jdepth] = 1;
}

static void j_close(char bracket)
{
    putchar(bracket);
    if (--jdepth == 0)
        putchar('\n');
}

#define jo_begin(key) j_open((key), '{')
#define jo_end()      j_close('}')
#define ja_begin(key) j_open((key), '[')
#define ja_end()      j_close(']')

static void j_strn(const char *key, const char *s, size_t len)
{
    j_key(key);
    if (s)
        j_raw_string(s, len);
    else
        fputs("null", stdout);
}

static void j_str(const char *key, const char *s) { j_strn(key, s, s ? strlen(s) : 0); }
static void j_int(const char *key, long long v)   { j_key(key); printf("%lld", v); }
static void j_bool(const char *key, int v)        { j_key(key); fputs(v ? "true" : "false", stdout); }
static void j_null(const char *key)               { j_key(key); fputs("null", stdout); }
static void j_double(const char *key, double v)   { j_key(key); printf("%.9f", v); }

/* ------------------------------------------------------------------ */
/* errno and signal names                                             */
/* ------------------------------------------------------------------ */

#define NAME(x) { x, #x }
static const struct { int num; const char *name; } errnos[] = {
    NAME(EPERM), NAME(ENOENT), NAME(ESRCH), NAME(EINTR), NAME(EIO), NAME(ENXIO),
    NAME(E2BIG), NAME(ENOEXEC), NAME(EBADF), NAME(ECHILD), NAME(EAGAIN), NAME(ENOMEM),
    NAME(EACCES), NAME(EFAULT), NAME(ENOTBLK), NAME(EBUSY), NAME(EEXIST), NAME(EXDEV),
    NAME(ENODEV), NAME(ENOTDIR), NAME(EISDIR), NAME(EINVAL), NAME(ENFILE), NAME(EMFILE),
    NAME(ENOTTY), NAME(ETXTBSY), NAME(EFBIG), NAME(ENOSPC), NAME(ESPIPE), NAME(EROFS),
    NAME(EMLINK), NAME(EPIPE), NAME(EDOM), NAME(ERANGE), NAME(EDEADLK), NAME(ENAMETOOLONG),
    NAME(ENOLCK), NAME(ENOSYS), NAME(ENOTEMPTY), NAME(ELOOP), NAME(ENOMSG), NAME(EIDRM),
    NAME(ENOSTR), NAME(ENODATA), NAME(ETIME), NAME(ENOSR), NAME(ENOLINK), NAME(EPROTO),
    NAME(EBADMSG), NAME(EOVERFLOW), NAME(EILSEQ), NAME(EUSERS), NAME(ENOTSOCK),
    NAME(EDESTADDRREQ), NAME(EMSGSIZE), NAME(EPROTOTYPE), NAME(ENOPROTOOPT),
    NAME(EPROTONOSUPPORT), NAME(ESOCKTNOSUPPORT), NAME(EOPNOTSUPP), NAME(EPFNOSUPPORT),
    NAME(EAFNOSUPPORT), NAME(EADDRINUSE), NAME(EADDRNOTAVAIL), NAME(ENETDOWN),
    NAME(ENETUNREACH), NAME(ENETRESET), NAME(ECONNABORTED), NAME(ECONNRESET), NAME(ENOBUFS),
    NAME(EISCONN), NAME(ENOTCONN), NAME(ESHUTDOWN), NAME(ETOOMANYREFS), NAME(ETIMEDOUT),
    NAME(ECONNREFUSED), NAME(EHOSTDOWN), NAME(EHOSTUNREACH), NAME(EALREADY),
    NAME(EINPROGRESS), NAME(ESTALE), NAME(EDQUOT), NAME(ENOMEDIUM), NAME(EMEDIUMTYPE),
    NAME(ECANCELED), NAME(ENOKEY), NAME(EKEYEXPIRED), NAME(EKEYREVOKED), NAME(EKEYREJECTED),
    NAME(EOWNERDEAD), NAME(ENOTRECOVERABLE), NAME(ERFKILL), NAME(EHWPOISON),
};

static const char *errno_name(int e)
{
    static char buf[16];
    size_t i;
    for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
        if (errnos[i].num == e)
            return errnos[i].name;
    snprintf(buf, sizeof(buf), "E%d", e);
    return buf;
}

static const char *const signames[] = {
    NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
    "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
};

static const char *signal_name(int sig)
{
    static char buf[24];
    if (sig > 0 && sig < (int)(sizeof(signames) / sizeof(signames[0])))
        return signames[sig];
    snprintf(buf, sizeof(buf), "SIG%d", sig);
    return buf;
}

/* Emit {"errno":"EPERM","errno_num":1,"error":"Operation not permitted"} fields. */
static void j_errno(int e)
{
    j_str("errno", errno_name(e));
    j_int("errno_num", e);
    j_str("error", strerror(e));
}

/* ------------------------------------------------------------------ */
/* small file helpers                                                 */
/* ------------------------------------------------------------------ */

/* Read a whole file (up to max bytes) into a NUL-terminated malloc'd buffer.
 * Returns NULL and sets errno on failure. *truncated is set if max was hit. */
static char *read_all(const char *path, size_t max, size_t *lenp, int *truncated)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t cap = 4096, len = 0;
    char *buf;

    if (truncated)
        *truncated = 0;
    if (fd < 0)
        return NULL;
    buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        ssize_t n;
        if (len == cap) {
            char *nb;
            if (cap >= max) {
                if (truncated)
                    *truncated = 1;
                break;
            }
            cap = cap * 2 > max ? max : cap * 2;
            nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                close(fd);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
        }
        n = read(fd, buf + len, cap - len);
        if (n < 0) {
            int e = errno;
            if (e == EINTR)
                continue;
            free(buf);
            close(fd);
            errno = e;
            return NULL;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    if (lenp)
        *lenp = len;
    return buf;
}

/* Read a small text file with trailing newlines and NULs removed. */
static char *read_trimmed(const char *path)
{
    size_t len;
    char *s = read_all(path, 1 << 16, &len, NULL);
    if (!s)
        return NULL;
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\0'))
        s[--len] = '\0';
    return s;
}

static char *read_link(const char *path)
{
    static char buf[PATH_MAX + 1];
    ssize_t n = readlink(path, buf, PATH_MAX);
    if (n < 0)
        return NULL;
    buf[n] = '\0';
    return buf;
}

/* Value of "Name:\tvalue" in /proc/self/status, copied to out. 0 on success. */
static char *proc_status;

static int status_field(const char *name, char *out, size_t outlen)
{
    size_t nlen = strlen(name);
    const char *line = proc_status;

    while (line && *line) {
        const char *eol = strchr(line, '\n');
        size_t llen = eol ? (size_t)(eol - line) : strlen(line);
        if (llen > nlen && strncmp(line, name, nlen) == 0 && line[nlen] == ':') {
            const char *v = line + nlen + 1;
            size_t vlen;
            while (*v == ' ' || *v == '\t')
                v++;
            vlen = (size_t)(line + llen - v);
            if (vlen >= outlen)
                vlen = outlen - 1;
            memcpy(out, v, vlen);
            out[vlen] = '\0';
            return 0;
        }
        line = eol ? eol + 1 : NULL;
    }
    return -1;
}

static int path_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* ------------------------------------------------------------------ */
/* default mode: describe the process                                 */
/* ------------------------------------------------------------------ */

static void emit_ids(void)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    gid_t groups[NGROUPS_MAX];
    int n, i;

    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    j_int("uid", r);
    j_int("euid", e);
    j_int("suid", s);
    j_int("gid", gr);
    j_int("egid", ge);
    j_int("sgid", gs);
    n = getgroups(NGROUPS_MAX, groups);
    ja_begin("groups");
    for (i = 0; i < n; i++)
        j_int(NULL, groups[i]);
    ja_end();
}

static void emit_umask(void)
{
    char v[32];
    mode_t m;
    if (status_field("Umask", v, sizeof(v)) == 0) {
        j_int("umask", strtol(v, NULL, 8));
        return;
    }
    m = umask(0);
    umask(m);
    j_int("umask", m);
}

static void emit_strings(const char *key, char **list, int n)
{
    int i;
    ja_begin(key);
    for (i = 0; n < 0 ? list[i] != NULL : i < n; i++)
        j_str(NULL, list[i]);
    ja_end();
}

static void emit_caps(void)
{
    static const char *const fields[][2] = {
        { "bounding", "CapBnd" }, { "effective", "CapEff" }, { "permitted", "CapPrm" },
        { "inheritable", "CapInh" }, { "ambient", "CapAmb" },
    };
    char v[64];
    size_t i;

    jo_begin("caps");
    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (status_field(fields[i][1], v, sizeof(v)) == 0)
            j_str(fields[i][0], v);
        else
            j_null(fields[i][0]);
    }
    jo_end();
}

static void emit_security(void)
{
    char v[64];
    char *cur, *aa, *sel = NULL, *fs;

    if (status_field("NoNewPrivs", v, sizeof(v)) == 0)
        j_int("no_new_privs", atoi(v));
    else
        j_int("no_new_privs", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    if (status_field("Seccomp", v, sizeof(v)) == 0)
        j_int("seccomp", atoi(v));
    else
        j_int("seccomp", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    if (status_field("Seccomp_filters", v, sizeof(v)) == 0)
        j_int("seccomp_filters", atoi(v));
    else
        j_null("seccomp_filters");

    cur = read_trimmed("/proc/self/attr/current");
    aa = read_trimmed("/proc/self/attr/apparmor/current");
    if (!aa) {
        char *en = read_trimmed("/sys/module/apparmor/parameters/enabled");
        if (en && en[0] == 'Y' && cur)
            aa = strdup(cur);
        free(en);
    }
    fs = read_trimmed("/proc/filesystems");
    if (cur && strchr(cur, ':') &&
        (path_exists("/sys/fs/selinux/enforce") || (fs && strstr(fs, "selinuxfs"))) &&
        !(aa && strcmp(aa, cur) == 0))
        sel = cur;
    j_str("apparmor", aa);
    j_str("selinux", sel);
    free(fs);
    free(aa);
    free(cur);
}

static void emit_rlimits(void)
{
    static const struct { int res; const char *name; } limits[] = {
        NAME(RLIMIT_CPU), NAME(RLIMIT_FSIZE), NAME(RLIMIT_DATA), NAME(RLIMIT_STACK),
        NAME(RLIMIT_CORE), NAME(RLIMIT_RSS), NAME(RLIMIT_NPROC), NAME(RLIMIT_NOFILE),
        NAME(RLIMIT_MEMLOCK), NAME(RLIMIT_AS), NAME(RLIMIT_LOCKS), NAME(RLIMIT_SIGPENDING),
        NAME(RLIMIT_MSGQUEUE), NAME(RLIMIT_NICE), NAME(RLIMIT_RTPRIO), NAME(RLIMIT_RTTIME),
    };
    size_t i;

    jo_begin("rlimits");
    for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        struct rlimit rl;
        if (getrlimit(limits[i].res, &rl) != 0) {
            j_null(limits[i].name);
            continue;
        }
        jo_begin(limits[i].name);
        if (rl.rlim_cur == RLIM_INFINITY)
            j_str("soft", "unlimited");
        else
            j_int("soft", (long long)rl.rlim_cur);
        if (rl.rlim_max == RLIM_INFINITY)
            j_str("hard", "unlimited");
        else
            j_int("hard", (long long)rl.rlim_max);
        jo_end();
    }
    jo_end();
}

static void emit_namespaces(void)
{
    static const char *const names[] = {
        "cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time",
        "time_for_children", "user", "uts",
    };
    char path[64];
    size_t i;

    jo_begin("namespaces");
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "/proc/self/ns/%s", names[i]);
        j_str(names[i], read_link(path));
    }
    jo_end();
}

/* Undo the octal escapes (\040 etc.) used in mountinfo, in place. */
static char *unescape_mount(char *s)
{
    char *r = s, *w = s;
    while (*r) {
        if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] >= '0' && r[2] <= '7' &&
            r[3] >= '0' && r[3] <= '7') {
            *w++ = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
            r += 4;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return s;
}

/* Split one mountinfo line into fields (space separated); returns the count. */
static int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    char *save = NULL, *tok = strtok_r(line, " ", &save);
    while (tok && n < max) {
        fields[n++] = tok;
        tok = strtok_r(NULL, " ", &save);
    }
    return n;
}

/* Entries of /proc/self/mountinfo; if only_point, just report whether it is mounted. */
static int emit_mounts(const char *only_point)
{
    char *data = read_all("/proc/self/mountinfo", 64 << 20, NULL, NULL);
    char *line, *save = NULL;
    int found = 0;

    if (!only_point) {
        if (!data) {
            j_null("mounts");
            return 0;
        }
        ja_begin("mounts");
    } else if (!data) {
        return -1;
    }
    for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[64], prop[512] = "";
        int n = split_fields(line, f, 64), sep;
        for (sep = 6; sep < n && strcmp(f[sep], "-") != 0; sep++) {
            if (strlen(prop) + strlen(f[sep]) + 2 < sizeof(prop)) {
                if (prop[0])
                    strcat(prop, " ");
                strcat(prop, f[sep]);
            }
        }
        if (n < 6 || sep + 2 >= n)
            continue;
        unescape_mount(f[4]);
        if (only_point) {
            if (strcmp(f[4], only_point) == 0)
                found = 1;
            continue;
        }
        jo_begin(NULL);
        j_int("id", atoi(f[0]));
        j_int("parent_id", atoi(f[1]));
        j_str("major_minor", f[2]);
        j_str("root", unescape_mount(f[3]));
        j_str("mount_point", f[4]);
        j_str("options", f[5]);
        j_str("propagation", prop);
        j_str("fstype", f[sep + 1]);
        j_str("source", unescape_mount(f[sep + 2]));
        j_str("super_options", sep + 3 < n ? f[sep + 3] : "");
        jo_end();
    }
    if (!only_point)
        ja_end();
    free(data);
    return found;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void emit_fds(void)
{
    static int fds[MAX_FDS];
    int n = 0, i, use_proc = 0;
    DIR *d = opendir("/proc/self/fd");
    char path[64];

    if (d) {
        int self = dirfd(d);
        struct dirent *de;
        use_proc = 1;
        while ((de = readdir(d)) != NULL && n < MAX_FDS) {
            if (!isdigit((unsigned char)de->d_name[0]))
                continue;
            if (atoi(de->d_name) != self)
                fds[n++] = atoi(de->d_name);
        }
        closedir(d);
        qsort(fds, (size_t)n, sizeof(int), cmp_int);
    } else {
        for (i = 0; i < MAX_FDS; i++)
            if (fcntl(i, F_GETFD) >= 0)
                fds[n++] = i;
    }
    ja_begin("fds");
    for (i = 0; i < n; i++)
        j_int(NULL, fds[i]);
    ja_end();
    jo_begin("fd_targets");
    for (i = 0; use_proc && i < n; i++) {
        char key[16];
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[i]);
        snprintf(key, sizeof(key), "%d", fds[i]);
        j_str(key, read_link(path));
    }
    jo_end();
}

static void emit_lines(const char *key, const char *path)
{
    char *data = read_all(path, 1 << 20, NULL, NULL);
    char *line, *save = NULL;
    if (!data) {
        j_null(key);
        return;
    }
    ja_begin(key);
    for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        j_str(NULL, line);
    ja_end();
    free(data);
}

static void emit_sched(void)
{
    struct sched_param sp;
    cpu_set_t set;
    char *oom = read_trimmed("/proc/self/oom_score_adj");
    long prio;
    int i;

    if (oom)
        j_int("oom_score_adj", atoi(oom));
    else
        j_null("oom_score_adj");
    free(oom);
    j_int("personality", personality(0xffffffff));
    j_int("sched_policy", sched_getscheduler(0));
    if (sched_getparam(0, &sp) == 0)
        j_int("sched_priority", sp.sched_priority);
    else
        j_null("sched_priority");
    prio = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
    j_int("ioprio", prio);
    if (prio >= 0) {
        j_int("ioprio_class", prio >> 13);
        j_int("ioprio_level", prio & 0x1fff);
    }
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        ja_begin("cpu_affinity");
        for (i = 0; i < CPU_SETSIZE; i++)
            if (CPU_ISSET(i, &set))
                j_int(NULL, i);
        ja_end();
    } else {
        j_null("cpu_affinity");
    }
}

static void emit_tty(void)
{
    char *stat = read_trimmed("/proc/self/stat");
    char *p = stat ? strrchr(stat, ')') : NULL;
    struct winsize ws;
    int ppid, pgrp, session, tty_nr;

    j_bool("tty", isatty(0));
    j_str("ttyname", isatty(0) ? ttyname(0) : NULL);
    /* after "pid (comm)": state ppid pgrp session tty_nr */
    if (p && sscanf(p + 1, " %*c %d %d %d %d", &ppid, &pgrp, &session, &tty_nr) == 4)
        j_int("ctty", tty_nr);
    else
        j_null("ctty");
    free(stat);
    j_int("pgid", getpgrp());
    j_int("sid", getsid(0));
    if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0) {
        jo_begin("winsize");
        j_int("rows", ws.ws_row);
        j_int("cols", ws.ws_col);
        jo_end();
    } else {
        j_null("winsize");
    }
}

/* "net.ipv4.ip_forward" -> /proc/sys/net/ipv4/ip_forward; absolute paths are used as is. */
static void emit_sysctls(int argc, char **argv)
{
    int i;
    jo_begin("sysctl");
    for (i = 0; i + 1 < argc; i++) {
        char path[PATH_MAX], *p, *v;
        if (strcmp(argv[i], "--sysctl") != 0)
            continue;
        if (argv[i + 1][0] == '/') {
            snprintf(path, sizeof(path), "%s", argv[i + 1]);
        } else {
            snprintf(path, sizeof(path), "/proc/sys/%s", argv[i + 1]);
            for (p = path + strlen("/proc/sys/"); *p; p++)
                if (*p == '.')
                    *p = '/';
        }
        v = read_trimmed(path);
        j_str(argv[i + 1], v);
        free(v);
        i++;
    }
    jo_end();
}

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0)
        return -1;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int mode_info(int argc, char **argv)
{
    struct utsname u;
    char cwd[PATH_MAX];

    proc_status = read_all("/proc/self/status", 1 << 20, NULL, NULL);
    /* list fds first, before anything else is opened */
    jo_begin(NULL);
    emit_fds();
    j_int("pid", getpid());
    j_int("ppid", getppid());
    if (uname(&u) == 0) {
        j_str("hostname", u.nodename);
        j_str("domainname", u.domainname);
    } else {
        j_null("hostname");
        j_null("domainname");
    }
    emit_ids();
    emit_umask();
    j_str("cwd", getcwd(cwd, sizeof(cwd)));
    emit_strings("env", environ, -1);
    emit_strings("args", argv, argc);
    emit_caps();
    emit_security();
    emit_rlimits();
    emit_namespaces();
    emit_mounts(NULL);
    emit_lines("cgroup", "/proc/self/cgroup");
    emit_sched();
    emit_tty();
    j_str("exe", read_link("/proc/self/exe"));
    emit_sysctls(argc, argv);
    jo_begin("time");
    j_double("monotonic", clock_seconds(CLOCK_MONOTONIC));
    j_double("boottime", clock_seconds(CLOCK_BOOTTIME));
    jo_end();
    jo_end();
    free(proc_status);
    return 0;
}

/* ------------------------------------------------------------------ */
/* file modes: stat, read, write, mount-umount                        */
/* ------------------------------------------------------------------ */

static const char *file_type(mode_t m)
{
    switch (m & S_IFMT) {
    case S_IFREG:  return "file";
    case S_IFDIR:  return "dir";
    case S_IFLNK:  return "symlink";
    case S_IFCHR:  return "char";
    case S_IFBLK:  return "block";
    case S_IFIFO:  return "fifo";
    case S_IFSOCK: return "socket";
    default:       return "unknown";
    }
}

static int mode_stat(int argc, char **argv)
{
    int i;
    jo_begin(NULL);
    for (i = 0; i < argc; i++) {
        struct stat st;
        char oct[16];
        jo_begin(argv[i]);
        if (lstat(argv[i], &st) != 0) {
            j_errno(errno);
            jo_end();
            continue;
        }
        snprintf(oct, sizeof(oct), "%04o", (unsigned)(st.st_mode & 07777));
        j_str("type", file_type(st.st_mode));
        j_int("mode", st.st_mode & 07777);
        j_str("mode_octal", oct);
        j_int("uid", st.st_uid);
        j_int("gid", st.st_gid);
        j_int("size", st.st_size);
        j_int("nlink", (long long)st.st_nlink);
        j_int("ino", (long long)st.st_ino);
        j_int("dev_major", major(st.st_dev));
        j_int("dev_minor", minor(st.st_dev));
        j_int("rdev_major", major(st.st_rdev));
        j_int("rdev_minor", minor(st.st_rdev));
        if (S_ISLNK(st.st_mode))
            j_str("link_target", read_link(argv[i]));
        jo_end();
    }
    jo_end();
    return 0;
}

static int mode_getxattr(const char *path, const char *name)
{
    char value[4096];
    ssize_t n = lgetxattr(path, name, value, sizeof(value));

    jo_begin(NULL);
    j_str("path", path);
    j_str("name", name);
    j_bool("ok", n >= 0);
    if (n >= 0)
        j_strn("value", value, (size_t)n);
    else
        j_errno(errno);
    jo_end();
    return n >= 0 ? 0 : 1;
}

static int mode_read(const char *path)
{
    size_t len;
    int truncated;
    char *data = read_all(path, 16 << 20, &len, &truncated);

    jo_begin(NULL);
    j_str("path", path);
    j_bool("ok", data != NULL);
    if (data) {
        j_strn("content", data, len);
        j_int("size", (long long)len);
        j_bool("truncated", truncated);
    } else {
        j_errno(errno);
    }
    jo_end();
    free(data);
    return data ? 0 : 1;
}

static int mode_write(const char *path, const char *data)
{
    size_t len = strlen(data), done = 0;
    const char *step = "open";
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int err = fd < 0 ? errno : 0;

    while (fd >= 0 && !err && done < len) {
        ssize_t n = write(fd, data + done, len - done);
        step = "write";
        if (n < 0 && errno != EINTR)
            err = errno;
        else if (n > 0)
            done += (size_t)n;
    }
    if (fd >= 0 && close(fd) != 0 && !err) {
        step = "close";
        err = errno;
    }
    jo_begin(NULL);
    j_str("path", path);
    j_bool("ok", err == 0);
    j_int("written", (long long)done);
    if (err) {
        j_str("step", step);
        j_errno(err);
    }
    jo_end();
    return err ? 1 : 0;
}

static int mode_mount_umount(const char *path, const char *how)
{
    int flags = 0, ret, err;
    if (how && strcmp(how, "detach") == 0)
        flags = MNT_DETACH;
    else if (how && strcmp(how, "force") == 0)
        flags = MNT_FORCE;
    ret = umount2(path, flags);
    err = ret ? errno : 0;
    jo_begin(NULL);
    j_str("path", path);
    j_int("flags", flags);
    j_int("ret", ret);
    if (err)
        j_errno(err);
    else
        j_null("errno");
    ret = emit_mounts(path);
    if (ret < 0)
        j_null("still_mounted");
    else
        j_bool("still_mounted", ret);
    jo_end();
    return 0;
}

/* ------------------------------------------------------------------ */
/* syscall mode                                                       */
/* ------------------------------------------------------------------ */

struct flagname { const char *name; long value; };

static const struct flagname symbols[] = {
    { "AF_UNIX", AF_UNIX }, { "AF_LOCAL", AF_UNIX }, { "AF_INET", AF_INET },
    { "AF_INET6", AF_INET6 }, { "AF_NETLINK", AF_NETLINK }, { "AF_PACKET", AF_PACKET },
    { "AF_VSOCK", 40 }, { "AF_ALG", 38 },
    { "SOCK_STREAM", SOCK_STREAM }, { "SOCK_DGRAM", SOCK_DGRAM }, { "SOCK_RAW", SOCK_RAW },
    { "SOCK_SEQPACKET", SOCK_SEQPACKET },
    { "CLONE_NEWNS", CLONE_NEWNS }, { "CLONE_NEWUTS", CLONE_NEWUTS },
    { "CLONE_NEWIPC", CLONE_NEWIPC }, { "CLONE_NEWUSER", CLONE_NEWUSER },
    { "CLONE_NEWPID", CLONE_NEWPID }, { "CLONE_NEWNET", CLONE_NEWNET },
    { "CLONE_NEWCGROUP", CLONE_NEWCGROUP }, { "CLONE_NEWTIME", 0x00000080 },
    { "CLONE_FS", CLONE_FS }, { "CLONE_FILES", CLONE_FILES }, { "CLONE_SYSVSEM", CLONE_SYSVSEM },
};

/* A number (decimal, 0x hex, 0 octal) or symbols joined with '|'. */
static long parse_value(const char *s)
{
    long v = 0;
    char buf[256], *tok, *save = NULL;

    snprintf(buf, sizeof(buf), "%s", s);
    for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
        size_t i;
        char *end;
        long n = strtol(tok, &end, 0);
        if (*end == '\0' && end != tok) {
            v |= n;
            continue;
        }
        for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
            if (strcmp(tok, symbols[i].name) == 0)
                break;
        if (i == sizeof(symbols) / sizeof(symbols[0])) {
            fprintf(stderr, "jrun-probe: unknown value %s\n", tok);
            exit(2);
        }
        v |= symbols[i].value;
    }
    return v;
}

struct clone_args_v0 {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static const char *const syscall_usage =
    "syscalls: getpid, getppid, getuid, mkdir PATH [MODE], rmdir PATH, chmod PATH MODE,\n"
    "  chown PATH UID GID, personality N, socket DOMAIN TYPE [PROTO], unshare FLAGS,\n"
    "  clone3 [FLAGS], sethostname NAME, umount2 PATH [FLAGS], open PATH [FLAGS],\n"
    "  kill PID SIG, raise SIG (signal itself), raw NR [ARGS...]\n";

/* Perform the syscall; returns the raw result (-1 with errno set on failure). */
static long do_syscall(int argc, char **argv)
{
    const char *name = argv[0];
#define NEED(n) do { if (argc < (n) + 1) { fprintf(stderr, "%s", syscall_usage); _exit(2); } } while (0)
#define ARG(i) parse_value(argv[i])
    if (strcmp(name, "getpid") == 0)
        return syscall(SYS_getpid);
    if (strcmp(name, "getppid") == 0)
        return syscall(SYS_getppid);
    if (strcmp(name, "getuid") == 0)
        return syscall(SYS_getuid);
    if (strcmp(name, "mkdir") == 0) {
        NEED(1);
        return syscall(SYS_mkdir, argv[1], argc > 2 ? strtol(argv[2], NULL, 8) : 0755);
    }
    if (strcmp(name, "rmdir") == 0) {
        NEED(1);
        return syscall(SYS_rmdir, argv[1]);
    }
    if (strcmp(name, "chmod") == 0) {
        NEED(2);
        return syscall(SYS_chmod, argv[1], strtol(argv[2], NULL, 8));
    }
    if (strcmp(name, "chown") == 0) {
        NEED(3);
        return syscall(SYS_chown, argv[1], ARG(2), ARG(3));
    }
    if (strcmp(name, "personality") == 0) {
        NEED(1);
        return syscall(SYS_personality, (unsigned long)strtoul(argv[1], NULL, 0));
    }
    if (strcmp(name, "socket") == 0) {
        NEED(2);
        return syscall(SYS_socket, ARG(1), ARG(2), argc > 3 ? ARG(3) : 0);
    }
    if (strcmp(name, "unshare") == 0) {
        NEED(1);
        return syscall(SYS_unshare, ARG(1));
    }
    if (strcmp(name, "clone3") == 0) {
        struct clone_args_v0 ca;
        long ret;
        memset(&ca, 0, sizeof(ca));
        ca.flags = argc > 1 ? (uint64_t)ARG(1) : 0;
        ca.exit_signal = SIGCHLD;
        ret = syscall(__NR_clone3, &ca, sizeof(ca));
        if (ret == 0)
            _exit(0); /* the new child: leave at once */
        if (ret > 0)
            waitpid((pid_t)ret, NULL, 0);
        return ret;
    }
    if (strcmp(name, "sethostname") == 0) {
        NEED(1);
        return syscall(SYS_sethostname, argv[1], strlen(argv[1]));
    }
    if (strcmp(name, "umount2") == 0) {
        NEED(1);
        return syscall(SYS_umount2, argv[1], argc > 2 ? ARG(2) : 0);
    }
    if (strcmp(name, "open") == 0) {
        NEED(1);
        return syscall(SYS_open, argv[1], argc > 2 ? ARG(2) : O_RDONLY, 0644);
    }
    if (strcmp(name, "kill") == 0) {
        NEED(2);
        return syscall(SYS_kill, ARG(1), ARG(2));
    }
    if (strcmp(name, "raise") == 0) {
        NEED(1);
        return syscall(SYS_kill, syscall(SYS_getpid), ARG(1));
    }
    if (strcmp(name, "raw") == 0) {
        long a[6] = { 0, 0, 0, 0, 0, 0 };
        int i;
        NEED(1);
        for (i = 0; i < 6 && i + 2 < argc; i++)
            a[i] = ARG(i + 2);
        return syscall(ARG(1), a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    fprintf(stderr, "jrun-probe: unknown syscall %s\n%s", name, syscall_usage);
    _exit(2);
#undef NEED
#undef ARG
}

static void emit_syscall_result(const char *name, long ret, int err)
{
    j_str("syscall", name);
    j_int("ret", ret);
    if (ret == -1)
        j_errno(err);
    else
        j_null("errno");
}

static int mode_syscall(int argc, char **argv)
{
    struct { long ret; int err; } res;
    int inline_mode = 0, p[2], status;
    pid_t pid;

    if (argc > 0 && strcmp(argv[0], "--inline") == 0) {
        inline_mode = 1;
        argc--;
        argv++;
    }
    if (argc < 1) {
        fprintf(stderr, "%s", syscall_usage);
        return 2;
    }
    fflush(stdout);
    if (inline_mode || pipe2(p, O_CLOEXEC) != 0 || (pid = fork()) < 0) {
        long ret = do_syscall(argc, argv);
        int err = errno;
        jo_begin(NULL);
        emit_syscall_result(argv[0], ret, err);
        j_bool("forked", 0);
        jo_end();
        return 0;
    }
    if (pid == 0) {
        close(p[0]);
        res.ret = do_syscall(argc, argv);
        res.err = errno;
        if (write(p[1], &res, sizeof(res)) != (ssize_t)sizeof(res))
            _exit(3);
        _exit(0);
    }
    close(p[1]);
    memset(&res, 0, sizeof(res));
    {
        ssize_t got;
        do
            got = read(p[0], &res, sizeof(res));
        while (got < 0 && errno == EINTR);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        jo_begin(NULL);
        if (got == (ssize_t)sizeof(res)) {
            emit_syscall_result(argv[0], res.ret, res.err);
        } else {
            j_str("syscall", argv[0]);
            if (WIFSIGNALED(status)) {
                j_int("signal", WTERMSIG(status));
                j_str("signal_name", signal_name(WTERMSIG(status)));
                j_bool("core_dumped", WCOREDUMP(status));
            } else {
                j_int("exit_code", WEXITSTATUS(status));
            }
        }
        j_bool("forked", 1);
        jo_end();
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* process modes: sleep, exit, alloc, fork, spin                      */
/* ------------------------------------------------------------------ */

static void sleep_seconds(double s)
{
    struct timespec ts;
    if (s <= 0)
        return;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void on_trapped_signal(int sig)
{
    char buf[64];
    int n = snprintf(buf, sizeof(buf), "{\"signal\":%d}\n", sig);
    if (write(1, buf, (size_t)n) < 0)
        _exit(128 + sig);
    _exit(128 + sig);
}

static int mode_sleep(int argc, char **argv)
{
    double s = argc > 0 ? atof(argv[0]) : 1;
    if (argc > 1 && strcmp(argv[1], "--trap") == 0) {
        static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2 };
        size_t i;
        for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
            signal(sigs[i], on_trapped_signal);
    }
    sleep_seconds(s);
    jo_begin(NULL);
    j_double("slept", s);
    jo_end();
    return 0;
}

static int mode_alloc(int argc, char **argv)
{
    long mib = argc > 0 ? atol(argv[0]) : 1, done = 0;
    long page = sysconf(_SC_PAGESIZE);
    size_t size = (size_t)mib << 20;
    int err = 0;
    char *mem = size ? mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                     : NULL;

    if (mem == MAP_FAILED) {
        err = errno;
    } else {
        for (done = 0; done < mib; done++) {
            size_t off;
            for (off = 0; off < (1u << 20); off += (size_t)page)
                mem[((size_t)done << 20) + off] = (char)1;
            fprintf(stderr, "allocated %ld MiB\n", done + 1);
        }
    }
    jo_begin(NULL);
    j_int("requested_mib", mib);
    j_int("allocated_mib", done);
    j_bool("ok", err == 0);
    if (err)
        j_errno(err);
    jo_end();
    fflush(stdout);
    if (argc > 1)
        sleep_seconds(atof(argv[1]));
    return err ? 1 : 0;
}

static int mode_fork(int argc, char **argv)
{
    long n = argc > 0 ? atol(argv[0]) : 1, i, forked = 0;
    pid_t *pids = calloc((size_t)(n > 0 ? n : 1), sizeof(pid_t));
    int err = 0;

    fflush(stdout);
    for (i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            err = errno;
            break;
        }
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
            for (;;)
                pause();
        }
        pids[forked++] = pid;
    }
    jo_begin(NULL);
    j_int("requested", n);
    j_int("forked", forked);
    if (err)
        j_errno(err);
    else
        j_null("errno");
    ja_begin("pids");
    for (i = 0; i < forked; i++)
        j_int(NULL, pids[i]);
    ja_end();
    jo_end();
    fflush(stdout);
    if (argc > 1)
        sleep_seconds(atof(argv[1]));
    for (i = 0; i < forked; i++)
        kill(pids[i], SIGKILL);
    for (i = 0; i < forked; i++)
        waitpid(pids[i], NULL, 0);
    free(pids);
    return 0;
}

static int mode_spin(int argc, char **argv)
{
    double s = argc > 0 ? atof(argv[0]) : 1;
    double start = clock_seconds(CLOCK_MONOTONIC), now = start;
    volatile unsigned long iterations = 0;

    while (now - start < s) {
        int k;
        for (k = 0; k < 100000; k++)
            iterations++;
        now = clock_seconds(CLOCK_MONOTONIC);
    }
    jo_begin(NULL);
    j_double("spun", now - start);
    j_double("cpu_seconds", clock_seconds(CLOCK_PROCESS_CPUTIME_ID));
    j_int("iterations", (long long)iterations);
    jo_end();
    return 0;
}

/* ------------------------------------------------------------------ */

static int usage(void)
{
    fputs("usage: jrun-probe [info] [--sysctl NAME]... | stat PATH... | read PATH | getxattr PATH NAME |\n"
          "       write PATH DATA | mount-umount PATH [detach|force] |\n"
          "       syscall [--inline] NAME ARGS... | sleep SECONDS [--trap] | exit CODE |\n"
          "       alloc MIB [HOLD] | fork N [HOLD] | spin SECONDS\n", stderr);
    fputs(syscall_usage, stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "info";
    int rc;
    int nargs = argc > 2 ? argc - 2 : 0;
    char **args = argv + 2;

    if (argc <= 1 || mode[0] == '-')
        return mode_info(argc, argv);
    if (strcmp(mode, "info") == 0)
        rc = mode_info(argc, argv);
    else if (strcmp(mode, "stat") == 0)
        rc = mode_stat(nargs, args);
    else if (strcmp(mode, "getxattr") == 0 && nargs == 2)
        rc = mode_getxattr(args[0], args[1]);
    else if (strcmp(mode, "read") == 0 && nargs == 1)
        rc = mode_read(args[0]);
    else if (strcmp(mode, "write") == 0 && nargs == 2)
        rc = mode_write(args[0], args[1]);
    else if (strcmp(mode, "mount-umount") == 0 && nargs >= 1)
        rc = mode_mount_umount(args[0], nargs > 1 ? args[1] : NULL);
    else if (strcmp(mode, "syscall") == 0)
        rc = mode_syscall(nargs, args);
    else if (strcmp(mode, "sleep") == 0)
        rc = mode_sleep(nargs, args);
    else if (strcmp(mode, "exit") == 0 && nargs == 1) {
        rc = atoi(args[0]);
        jo_begin(NULL);
        j_int("exit", rc);
        jo_end();
    } else if (strcmp(mode, "alloc") == 0)
        rc = mode_alloc(nargs, args);
    else if (strcmp(mode, "fork") == 0)
        rc = mode_fork(nargs, args);
    else if (strcmp(mode, "spin") == 0)
        rc = mode_spin(nargs, args);
    else
        return usage();
    fflush(stdout);
    return rc;
}
