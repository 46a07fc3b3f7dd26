/*
 * jrun-init: the executor that builds a container from a plan compiled by the Java runtime.
 *
 * It holds no policy.  Java decides what to do and in which order; this program reads the plan
 * from the sync socket and performs each primitive step, reporting progress and the first
 * failure (step index, errno, detail) back.  It exists because a JVM cannot safely unshare a
 * user or mount namespace (it is multi-threaded) and must never run inside the container.
 *
 * It is always executed from a sealed memfd (never from a file a container could overwrite)
 * and stays non-dumpable until it execs the container process.
 *
 *   usage: jrun-init SYNC_FD KEEP_FROM KEEP_COUNT SELF_FD
 * fds 0-2, 3..KEEP_FROM-1 (--preserve-fds) and KEEP_FROM..KEEP_FROM+KEEP_COUNT-1 (our own)
 * survive start-up; every other inherited fd is closed first, and SELF_FD (the memfd this
 * program runs from) at once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>

#include "protocol.h"

/* ---------------------------------------------------------------- plan model */

struct arg {
	char kind;          /* 'i', 's' or 'v' */
	int64_t i;
	char *s;            /* NUL-terminated copy; len excludes the NUL */
	uint32_t len;
	char **v;           /* NULL-terminated, for argv/env style lists */
	uint32_t count;
};

struct step {
	uint16_t op;
	uint16_t argc;
	struct arg *a;
};

static struct step *steps;
static uint32_t nsteps;
static int current_step = -1;

/* ---------------------------------------------------------------- process state */

static int sync_fd = -1;        /* closed once the container is reported created */
static int proc_fd = -1;        /* the host's /proc, verified, opened before any namespace change */
static int root_fd = -1;        /* the container rootfs (bind mount of itself), O_PATH */
static int devnull_fd = -1;     /* verified char 1:3, for masking files */
static int shared_mask = -1;    /* the read-only tmpfs every masked directory shows */
static int console_peer = -1;   /* the pty peer when the container has a terminal */
static char *ack_payload;       /* payload of the last ACK (state JSON for hooks) */
static uint32_t ack_len;
static char exec_path[4096];    /* resolved by OP_LOOKUP_EXEC */
static char *home_env;          /* "HOME=..." found by OP_DEFAULT_HOME */
static const char *guard_dir;   /* OP_MOUNT_GUARD: rootfs-relative directory no mount may enter */
static int *source_trees;       /* OP_OPEN_MOUNT_SOURCES: clones made outside the user namespace */
static uint32_t nsource_trees;
static int *mapping_userns;     /* OP_MAPPING_USERNS: user namespaces that id-map mounts, by slot */
static uint32_t nmapping_userns;
static char **guard_allowed;    /* ... except onto these rootfs-relative paths */

static void report_error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/* strerror in Go's wording: lower-case first letter, as callers match runc's messages */
static const char *errtext(int err)
{
	static char buf[128];
	snprintf(buf, sizeof buf, "%s", strerror(err));
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] + 32);
	return buf;
}

/* ---------------------------------------------------------------- wire helpers */

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EPIPE;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One write per frame, so a frame is never split by another writer's. */
static int send_msg(uint32_t type, const void *payload, uint32_t len)
{
	uint32_t hdr[2] = { type, len };
	char *frame;
	int rc;
	if (sync_fd < 0)
		return -1;
	frame = malloc(sizeof hdr + len);
	if (!frame)
		return -1;
	memcpy(frame, hdr, sizeof hdr);
	if (len)
		memcpy(frame + sizeof hdr, payload, len);
	rc = write_all(sync_fd, frame, sizeof hdr + len);
	free(frame);
	return rc;
}

/* Reads one message; the payload is malloc'd (NUL-terminated for convenience). */
static int recv_msg(uint32_t *type, char **payload, uint32_t *len)
{
	uint32_t hdr[2];
	if (read_all(sync_fd, hdr, sizeof hdr) < 0)
		return -1;
	*type = hdr[0];
	*len = hdr[1];
	*payload = malloc((size_t)hdr[1] + 1);
	if (!*payload)
		return -1;
	if (hdr[1] && read_all(sync_fd, *payload, hdr[1]) < 0)
		return -1;
	(*payload)[hdr[1]] = '\0';
	return 0;
}

/* Sends data with one fd attached: the pty master to the console socket. */
static int send_fd(int sock, int fd, const void *data, size_t datalen)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = (void *)data, .iov_len = datalen };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof cbuf };
	struct cmsghdr *c;
	memset(cbuf, 0, sizeof cbuf);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	while (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

/*
 * The first failure ends the executor.  Before the container is created the parent turns
 * (step, errno, detail) into a sentence; afterwards nobody listens on the socket, so the
 * detail goes to stderr, which is the container's stderr.
 */
static void report_error(int err, const char *fmt, ...)
{
	char detail[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (sync_fd >= 0) {
		size_t dlen = strlen(detail);
		char *buf = malloc(8 + dlen);
		if (buf) {
			int32_t head[2] = { current_step, err };
			memcpy(buf, head, 8);
			memcpy(buf + 8, detail, dlen);
			send_msg(MSG_ERROR, buf, (uint32_t)(8 + dlen));
		}
	} else {
		char msg[2304];
		int n;
		if (err) {
			char *e = strerror(err);
			n = snprintf(msg, sizeof msg, "%s: %c%s\n", detail, (e[0] >= 'A' && e[0] <= 'Z') ? e[0] + 32 : e[0], e + 1);
		} else {
			n = snprintf(msg, sizeof msg, "%s\n", detail);
		}
		if (n > 0)
			write_all(2, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
	}
	/* runc's init exits 255 on any failure; after start this is the container's exit status */
	_exit(255);
}

/* Something the parent should tell the user about, while set-up goes on: (step, errno, detail). */
static void report_warning(int err, const char *fmt, ...)
{
	char detail[256];
	char buf[8 + sizeof detail];
	va_list ap;
	int32_t head[2] = { current_step, err };
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	memcpy(buf, head, 8);
	memcpy(buf + 8, detail, strlen(detail));
	send_msg(MSG_WARNING, buf, (uint32_t)(8 + strlen(detail)));
}

#define FAIL(...) report_error(errno, __VA_ARGS__)
/* the step itself failed: the parent's description of it says everything but the errno */
#define FAIL_STEP() report_error(errno, "%s", "")

/* Blocks until the parent answers a sync point.  An ABORT or a vanished parent ends us. */
static void sync_with_parent(uint32_t tag)
{
	uint32_t type, len;
	char *payload;
	if (send_msg(MSG_SYNC, &tag, sizeof tag) < 0)
		_exit(1);
	if (recv_msg(&type, &payload, &len) < 0)
		_exit(1);
	if (type != MSG_ACK)
		_exit(1);
	free(ack_payload);
	ack_payload = payload;
	ack_len = len;
}

/* ---------------------------------------------------------------- plan parsing */

static int take(const char **p, const char *end, void *dst, size_t n)
{
	if ((size_t)(end - *p) < n)
		return -1;
	memcpy(dst, *p, n);
	*p += n;
	return 0;
}

static char *take_string(const char **p, const char *end, uint32_t *lenp)
{
	uint32_t len;
	char *s;
	if (take(p, end, &len, 4) < 0 || (size_t)(end - *p) < len)
		return NULL;
	s = malloc((size_t)len + 1);
	if (!s)
		return NULL;
	memcpy(s, *p, len);
	s[len] = '\0';
	*p += len;
	if (lenp)
		*lenp = len;
	return s;
}

static int parse_plan(const char *buf, uint32_t size)
{
	const char *p = buf, *end = buf + size;
	char magic[4];
	if (take(&p, end, magic, 4) < 0 || memcmp(magic, "JRP2", 4) != 0)
		return -1;
	if (take(&p, end, &nsteps, 4) < 0 || nsteps > 100000)
		return -1;
	steps = calloc(nsteps, sizeof *steps);
	if (!steps)
		return -1;
	for (uint32_t s = 0; s < nsteps; s++) {
		struct step *st = &steps[s];
		if (take(&p, end, &st->op, 2) < 0 || take(&p, end, &st->argc, 2) < 0)
			return -1;
		/* every step must match its operation's signature, so no accessor below can fail */
		if (st->op < 1 || st->op > OP_LAST || strlen(op_signature[st->op]) != st->argc)
			return -1;
		st->a = calloc(st->argc ? st->argc : 1, sizeof *st->a);
		if (!st->a)
			return -1;
		for (uint16_t k = 0; k < st->argc; k++) {
			struct arg *a = &st->a[k];
			if (take(&p, end, &a->kind, 1) < 0 || a->kind != op_signature[st->op][k])
				return -1;
			if (a->kind == 'i') {
				if (take(&p, end, &a->i, 8) < 0)
					return -1;
			} else if (a->kind == 's') {
				if (!(a->s = take_string(&p, end, &a->len)))
					return -1;
			} else if (a->kind == 'v') {
				if (take(&p, end, &a->count, 4) < 0 || a->count > 65536)
					return -1;
				a->v = calloc((size_t)a->count + 1, sizeof(char *));
				if (!a->v)
					return -1;
				for (uint32_t j = 0; j < a->count; j++)
					if (!(a->v[j] = take_string(&p, end, NULL)))
						return -1;
			} else {
				return -1;
			}
		}
	}
	return p == end ? 0 : -1;
}

/* Argument accessors: a malformed plan is a bug on the Java side, so fail loudly. */
static int64_t I(const struct step *st, int k)
{
	if (k >= st->argc || st->a[k].kind != 'i')
		report_error(EINVAL, "plan step %d: argument %d is not an integer", current_step, k);
	return st->a[k].i;
}

static const char *S(const struct step *st, int k)
{
	if (k >= st->argc || st->a[k].kind != 's')
		report_error(EINVAL, "plan step %d: argument %d is not a string", current_step, k);
	return st->a[k].s;
}

static char **V(const struct step *st, int k)
{
	if (k >= st->argc || st->a[k].kind != 'v')
		report_error(EINVAL, "plan step %d: argument %d is not a list", current_step, k);
	return st->a[k].v;
}

/* ---------------------------------------------------------------- paths inside the rootfs */

static int openat2_fd(int dirfd, const char *path, int flags, uint64_t resolve)
{
	struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = resolve };
	int fd;
	do {
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
	} while (fd < 0 && errno == EAGAIN);
	return fd;
}

static uint64_t resolve_flags(int mode)
{
	uint64_t r = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	if (mode == RES_NO_SYMLINKS)
		r |= RESOLVE_NO_SYMLINKS;
	return r;
}

/* Opens a path inside the rootfs; "" or "." is the rootfs itself. */
static int open_in_root(const char *rel, int flags, int mode)
{
	return openat2_fd(root_fd, *rel ? rel : ".", flags, resolve_flags(mode));
}

/*
 * Walks rel from the rootfs one component at a time, the way RESOLVE_IN_ROOT resolves it
 * (a symlink's absolute target restarts at the rootfs, ".." stops there), creating what is
 * missing: directories on the way and, at the end, a directory or (want_file) an empty file.
 * Every step opens relative to the fd of the step before, O_NOFOLLOW, and ".." is kept as our
 * own stack of those fds, so no symlink or concurrent rename can lead it out of the rootfs.
 * runc creates mount points through dangling symlinks this way (an image's /etc/hosts linked
 * to a file that does not exist yet).  Without follow, any symlink on the way is ELOOP.
 */
#define WALK_DEPTH 256
static int walk_create(const char *rel, int want_file, mode_t mode, int follow)
{
	char *pending = malloc(PATH_MAX * 2);
	int stack[WALK_DEPTH], depth = 0, links = 0, result = -1, e = 0;
	if (!pending) {
		errno = ENOMEM;
		return -1;
	}
	if (strlen(rel) >= PATH_MAX) {
		free(pending);
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(pending, rel);
	stack[depth++] = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (stack[0] < 0)
		goto out;
	for (;;) {
		char *p = pending, comp[NAME_MAX + 1];
		size_t n;
		while (*p == '/')
			p++;
		if (!*p) {
			result = dup(stack[depth - 1]);
			goto out;
		}
		n = strcspn(p, "/");
		if (n > NAME_MAX) {
			e = ENAMETOOLONG;
			goto out;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		memmove(pending, p + n, strlen(p + n) + 1);
		int last = strspn(pending, "/") == strlen(pending);
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			if (depth > 1)
				close(stack[--depth]);
			continue;
		}
		int fd = openat(stack[depth - 1], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) {
			if (last && want_file) {
				int f = openat(stack[depth - 1], comp, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
				if (f < 0 && errno != EEXIST)
					goto fail;
				if (f >= 0)
					close(f);
			} else if (mkdirat(stack[depth - 1], comp, last ? mode : 0755) < 0 && errno != EEXIST) {
				goto fail;
			}
			fd = openat(stack[depth - 1], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd < 0)
			goto fail;
		struct stat sb;
		if (fstat(fd, &sb) < 0) {
			close(fd);
			goto fail;
		}
		if (S_ISLNK(sb.st_mode) && !follow) {
			close(fd);
			e = ELOOP;
			goto out;
		}
		if (S_ISLNK(sb.st_mode)) {
			char target[PATH_MAX];
			ssize_t len = readlinkat(fd, "", target, sizeof target - 1);
			close(fd);
			if (len < 0)
				goto fail;
			target[len] = '\0';
			if (++links > 40 || (size_t)len + strlen(pending) + 2 >= PATH_MAX * 2) {
				e = ELOOP;
				goto out;
			}
			memmove(pending + len + 1, pending, strlen(pending) + 1);
			memcpy(pending, target, (size_t)len);
			pending[len] = '/';
			if (target[0] == '/')
				while (depth > 1)
					close(stack[--depth]);
			continue;
		}
		if (last && !S_ISDIR(sb.st_mode)) {
			result = fd;
			goto out;
		}
		if (!S_ISDIR(sb.st_mode)) {
			close(fd);
			e = ENOTDIR;
			goto out;
		}
		if (depth == WALK_DEPTH) {
			close(fd);
			e = ENAMETOOLONG;
			goto out;
		}
		stack[depth++] = fd;
	}
fail:
	e = errno;
out:
	while (depth > 0)
		if (stack[--depth] >= 0)
			close(stack[depth]);
	free(pending);
	if (result < 0)
		errno = e ? e : errno;
	return result;
}

/*
 * mkdir -p inside the rootfs, returning an O_PATH fd of the directory.  The common case (it
 * exists) is one openat2(RESOLVE_IN_ROOT); otherwise walk_create makes it.  With
 * RES_NO_SYMLINKS no symlink may be on the way at all (proc, sysfs, the console).
 */
static int mkdir_all_in_root(const char *rel, mode_t mode, int resolve_mode)
{
	int fd = open_in_root(rel, O_PATH | O_DIRECTORY, resolve_mode);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	return walk_create(rel, 0, mode, resolve_mode != RES_NO_SYMLINKS);
}

/* Makes sure a file exists at rel (a bind target for a file) and opens it O_PATH. */
static int mkfile_in_root(const char *rel, int resolve_mode)
{
	int fd = open_in_root(rel, O_PATH, resolve_mode);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	return walk_create(rel, 1, 0644, resolve_mode != RES_NO_SYMLINKS);
}

/* Masking binds the null device; anything else there (a symlink, a procfs file) is refused. */
static void verify_null_device(int fd)
{
	struct stat sb;
	if (fstat(fd, &sb) < 0)
		FAIL("stat /dev/null");
	if (!S_ISCHR(sb.st_mode) || sb.st_rdev != makedev(1, 3))
		report_error(EINVAL, "/dev/null is not the null device (char 1:3)");
}

/* ---------------------------------------------------------------- mounting by fd */

static int attach(int mnt_fd, int target_fd)
{
	return move_mount(mnt_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

static int set_attrs(int mnt_fd, uint64_t set, uint64_t clr, uint64_t propagation, int recursive)
{
	struct mount_attr attr = { .attr_set = set, .attr_clr = clr, .propagation = propagation };
	if (!set && !clr && !propagation)
		return 0;
	return mount_setattr(mnt_fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof attr);
}

/*
 * Attributes go on the detached tree before it becomes visible: the plain ones on its top
 * mount, then the recursive ones (rro, rnosuid, ...) on every mount of it, in runc's order
 * (its remount, then its mount_setattr).  Propagation can only change once the tree is
 * attached.  The atime mode is a field, not a flag, so setting one means replacing the field.
 */
struct attrs {
	uint64_t set, clr, rset, rclr, propagation;
	int prop_recursive;
};

static uint64_t atime_clear(uint64_t set, uint64_t clr)
{
	return ((set | clr) & MOUNT_ATTR__ATIME) ? clr | MOUNT_ATTR__ATIME : clr;
}

static void finish_mount(int mnt, int target, const struct attrs *at)
{
	if (set_attrs(mnt, at->set, atime_clear(at->set, at->clr), 0, 0) < 0)
		FAIL("set attributes");
	if (set_attrs(mnt, at->rset, atime_clear(at->rset, at->rclr), 0, 1) < 0)
		FAIL("set recursive attributes");
	if (attach(mnt, target) < 0)
		FAIL_STEP();
	if (at->propagation && set_attrs(mnt, 0, 0, at->propagation, at->prop_recursive) < 0)
		FAIL("set propagation");
}

/* The path the kernel reports for an fd (as seen from our root), through the verified /proc. */
static int fd_path(int fd, char *buf, size_t size)
{
	char link[64];
	ssize_t n;
	snprintf(link, sizeof link, "self/fd/%d", fd);
	n = readlinkat(proc_fd, link, buf, size - 1);
	if (n < 0)
		return -1;
	if ((size_t)n >= size - 1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

/*
 * Refuses a mount whose destination, as resolved (after symlinks inside the rootfs), is the
 * rootfs itself or lies inside the guarded directory (/proc), unless the plan allows that
 * exact path.  proc_ok: 0 never onto the guarded directory itself, 1 allowed (a procfs mount),
 * 2 allowed if the mount source is a procfs (a bind of one).
 */
static void check_mount_target(int target, int proc_ok, int source)
{
	char root[4096], path[4096];
	size_t rlen;
	const char *rel;
	struct statfs sfs;
	if (!guard_dir)
		return;
	if (fd_path(root_fd, root, sizeof root) < 0 || fd_path(target, path, sizeof path) < 0)
		FAIL("find where the mount point resolves");
	rlen = strlen(root);
	if (strncmp(path, root, rlen) != 0 || (path[rlen] != '/' && path[rlen] != '\0'))
		report_error(0, "mountpoint \"%s\" is outside of rootfs \"%s\"", path, root);
	if (path[rlen] == '\0')
		report_error(0, "mountpoint \"%s\" is on the top of rootfs \"%s\"", path, root);
	rel = path + rlen + 1;
	size_t glen = strlen(guard_dir);
	if (strncmp(rel, guard_dir, glen) != 0 || (rel[glen] != '/' && rel[glen] != '\0'))
		return;
	if (rel[glen] == '\0') {
		if (proc_ok == 1 || (proc_ok == 2 && source >= 0 && fstatfs(source, &sfs) == 0 &&
				     sfs.f_type == PROC_SUPER_MAGIC))
			return;
		report_error(0, "\"%s\" cannot be mounted because it is not of type proc", path);
	}
	for (char **a = guard_allowed; a && *a; a++)
		if (strcmp(rel, *a) == 0)
			return;
	report_error(0, "\"%s\" cannot be mounted because it is inside /%s", path, guard_dir);
}

/* The mount attributes a mount's statfs flags show: what a bind of it inherits, locked or not. */
static uint64_t statfs_attrs(int fd, uint64_t *atime)
{
	struct statfs sfs;
	uint64_t a = 0;
	if (fstatfs(fd, &sfs) < 0)
		FAIL("statfs the mount source");
	if (sfs.f_flags & ST_RDONLY)
		a |= MOUNT_ATTR_RDONLY;
	if (sfs.f_flags & ST_NOSUID)
		a |= MOUNT_ATTR_NOSUID;
	if (sfs.f_flags & ST_NODEV)
		a |= MOUNT_ATTR_NODEV;
	if (sfs.f_flags & ST_NOEXEC)
		a |= MOUNT_ATTR_NOEXEC;
	/* strictatime has no statfs flag: it is what shows when neither of the others does */
	*atime = (sfs.f_flags & ST_NOATIME) ? MOUNT_ATTR_NOATIME :
		 (sfs.f_flags & ST_RELATIME) ? MOUNT_ATTR_RELATIME : MOUNT_ATTR_STRICTATIME;
	return a;
}

/*
 * A bind's requested flags, as runc applies them: if the kernel refuses because the source
 * has flags locked (it came from a more privileged mount namespace), those flags are kept --
 * unless the config cleared one of them by name, or asked for another atime mode: then the
 * mount cannot be what was asked for, and that is the error.
 */
static void set_bind_attrs(int tree, uint64_t set, uint64_t clr, uint64_t explicit_clear, int atime_requested)
{
	uint64_t src_atime, locked;
	if (set_attrs(tree, set, atime_clear(set, clr), 0, 0) == 0)
		return;
	if (errno != EPERM)
		FAIL("set attributes");
	locked = statfs_attrs(tree, &src_atime);
	if (locked & explicit_clear)
		report_error(EPERM, "cannot clear locked flags%s%s%s%s", (locked & explicit_clear & MOUNT_ATTR_RDONLY) ? " ro" : "",
			     (locked & explicit_clear & MOUNT_ATTR_NOSUID) ? " nosuid" : "",
			     (locked & explicit_clear & MOUNT_ATTR_NODEV) ? " nodev" : "",
			     (locked & explicit_clear & MOUNT_ATTR_NOEXEC) ? " noexec" : "");
	if (atime_requested && (set & MOUNT_ATTR__ATIME) != src_atime)
		report_error(EPERM, "cannot change locked atime flags");
	set |= locked;
	clr &= ~locked;
	if (!atime_requested)
		clr &= ~(uint64_t)MOUNT_ATTR__ATIME;
	if (set_attrs(tree, set, atime_requested ? atime_clear(set, clr) : clr, 0, 0) < 0)
		FAIL("set attributes with the locked flags kept");
}

static void op_bind(const struct step *st)
{
	const char *source = S(st, BIND_source), *dest = S(st, BIND_dest);
	int recursive = (int)I(st, BIND_recursive);
	struct attrs at = { .rset = (uint64_t)I(st, BIND_recursiveSet), .rclr = (uint64_t)I(st, BIND_recursiveClear),
			    .propagation = (uint64_t)I(st, BIND_propagation),
			    .prop_recursive = (int)I(st, BIND_propagationRecursive) };
	int resolve = (int)I(st, BIND_resolve);
	struct stat sb;
	int64_t slot = I(st, BIND_sourceSlot);
	int tree = -1;
	if (I(st, BIND_idMapped)) {
		if (slot < 0 || (uint64_t)slot >= nsource_trees || source_trees[slot] < 0)
			report_error(EINVAL, "the id-mapped tree of %s was not prepared", source);
		tree = source_trees[slot];
		source_trees[slot] = -1;
	} else {
		tree = open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
	}
	/* a source the container's root may not open: the clone made before entering its user namespace */
	if (tree < 0 && (errno == EACCES || errno == EPERM) && slot >= 0 && (uint64_t)slot < nsource_trees &&
	    source_trees[slot] >= 0) {
		tree = source_trees[slot];
		source_trees[slot] = -1;
	}
	if (tree < 0)
		FAIL("open source %s", source);
	if (fstat(tree, &sb) < 0)
		FAIL("stat source %s", source);
	int target = S_ISDIR(sb.st_mode) ? mkdir_all_in_root(dest, 0755, resolve) : mkfile_in_root(dest, resolve);
	if (target < 0)
		FAIL("create mount point");
	check_mount_target(target, (int)I(st, BIND_procPolicy), tree);
	set_bind_attrs(tree, (uint64_t)I(st, BIND_set), (uint64_t)I(st, BIND_clear), (uint64_t)I(st, BIND_explicitClear),
		       (int)I(st, BIND_atimeRequested));
	finish_mount(tree, target, &at);
	close(tree);
	close(target);
}

/* ---------------------------------------------------------------- id-mapped mounts */

static void keep_source_tree(int tree)
{
	int *grown = realloc(source_trees, (nsource_trees + 1) * sizeof(int));
	if (!grown)
		report_error(ENOMEM, "keep the mount source");
	source_trees = grown;
	source_trees[nsource_trees++] = tree;
}

static void write_id_map(pid_t pid, const char *file, const char *map, size_t len)
{
	char rel[64];
	snprintf(rel, sizeof rel, "%d/%s", (int)pid, file);
	int fd = openat(proc_fd, rel, O_WRONLY | O_CLOEXEC);
	/* the kernel takes a map in one write only */
	if (fd < 0 || write(fd, map, len) != (ssize_t)len)
		FAIL("write /proc/%s", rel);
	close(fd);
}

/*
 * A user namespace is only made by unsharing one, which would take us out of ours: a child
 * makes it and keeps it alive until we hold it by fd.  The child's errno comes first on the
 * socket; it then waits for our end to close.
 */
static int mapped_userns(const char *uid_map, size_t uid_len, const char *gid_map, size_t gid_len)
{
	int sv[2], fd;
	int32_t err = 0;
	char rel[64], c;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		FAIL("socketpair");
	pid_t pid = fork();
	if (pid < 0)
		FAIL("fork");
	if (pid == 0) {
		close(sv[0]);
		if (unshare(CLONE_NEWUSER) < 0)
			err = errno;
		if (write_all(sv[1], &err, sizeof err) == 0 && !err)
			while (read(sv[1], &c, 1) < 0 && errno == EINTR)
				;
		_exit(0);
	}
	close(sv[1]);
	if (read_all(sv[0], &err, sizeof err) < 0)
		FAIL("create the user namespace");
	if (err) {
		errno = err;
		FAIL("create the user namespace");
	}
	write_id_map(pid, "uid_map", uid_map, uid_len);
	write_id_map(pid, "gid_map", gid_map, gid_len);
	snprintf(rel, sizeof rel, "%d/ns/user", (int)pid);
	fd = openat(proc_fd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		FAIL("open /proc/%s", rel);
	close(sv[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return fd;
}

static void op_mapping_userns(const struct step *st)
{
	const char *path = S(st, MAPPING_USERNS_path);
	int fd;
	if (*path) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			FAIL_STEP();
		/* the kernel's EINVAL for a wrong fd would read as the filesystem's refusal */
		if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWUSER)
			report_error(0, "%s is not a user namespace", path);
	} else {
		fd = mapped_userns(S(st, MAPPING_USERNS_uidMap), st->a[MAPPING_USERNS_uidMap].len,
				   S(st, MAPPING_USERNS_gidMap), st->a[MAPPING_USERNS_gidMap].len);
	}
	int *grown = realloc(mapping_userns, (nmapping_userns + 1) * sizeof(int));
	if (!grown)
		report_error(ENOMEM, "keep the user namespace");
	mapping_userns = grown;
	mapping_userns[nmapping_userns++] = fd;
}

static void op_id_map_source(const struct step *st)
{
	const char *source = S(st, ID_MAP_SOURCE_source);
	int64_t ns = I(st, ID_MAP_SOURCE_userns);
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };
	if (ns < 0 || (uint64_t)ns >= nmapping_userns)
		report_error(EINVAL, "no user namespace in slot %lld", (long long)ns);
	int tree = open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
			     (I(st, ID_MAP_SOURCE_recursive) ? AT_RECURSIVE : 0));
	if (tree < 0)
		FAIL("open_tree");
	attr.userns_fd = (uint64_t)mapping_userns[ns];
	if (mount_setattr(tree, "", AT_EMPTY_PATH | (I(st, ID_MAP_SOURCE_recursiveIdMap) ? AT_RECURSIVE : 0), &attr,
			  sizeof attr) < 0)
		FAIL("set MOUNT_ATTR_IDMAP");
	keep_source_tree(tree);
}

/* Reads what the kernel logged about a failed fs context, so errors say more than EINVAL. */
static void fs_context_log(int fsfd, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (;;) {
		char line[512];
		ssize_t n = read(fsfd, line, sizeof line - 1);
		if (n <= 0)
			break;
		line[n] = '\0';
		line[strcspn(line, "\n")] = '\0';
		/* the kernel prefixes each line with its severity: "e ", "w " or "i " */
		const char *text = (line[0] && line[1] == ' ') ? line + 2 : line;
		used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "; " : "", text);
		if (used >= size)
			break;
	}
}

/*
 * tmpcopyup: copies the tree under src into the (still detached) new filesystem dst, keeping
 * owners, modes, times and extended attributes, as runc and crun do for podman's --tmpfs and
 * --read-only.  Symlinks are copied as links, never followed; a hard link becomes a copy.
 */
static void copy_xattrs(int from, int to)
{
	char names[4096], value[4096];
	ssize_t n = flistxattr(from, names, sizeof names);
	for (ssize_t i = 0; n > 0 && i < n; i += (ssize_t)strlen(names + i) + 1) {
		ssize_t len = fgetxattr(from, names + i, value, sizeof value);
		if (len >= 0 && fsetxattr(to, names + i, value, (size_t)len, 0) < 0 && errno != ENOTSUP)
			FAIL("copy the extended attribute %s", names + i);
	}
}

static void copy_tree(int src, int dst, int depth)
{
	int dirfd = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dirfd < 0 ? NULL : fdopendir(dirfd);
	struct dirent *e;
	if (!d || depth > 128)
		FAIL("tmpcopyup: read the directory");
	while ((errno = 0, e = readdir(d))) {
		struct stat sb;
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (fstatat(src, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			FAIL("tmpcopyup: stat %s", name);
		if (S_ISDIR(sb.st_mode)) {
			if (mkdirat(dst, name, sb.st_mode & 07777) < 0)
				FAIL("tmpcopyup: make %s", name);
			int s2 = openat(src, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int d2 = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (s2 < 0 || d2 < 0)
				FAIL("tmpcopyup: open %s", name);
			copy_tree(s2, d2, depth + 1);
			close(s2);
			close(d2);
		} else if (S_ISREG(sb.st_mode)) {
			int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			int out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, sb.st_mode & 07777);
			char buf[65536];
			ssize_t n;
			if (in < 0 || out < 0)
				FAIL("tmpcopyup: open %s", name);
			while ((n = read(in, buf, sizeof buf)) > 0)
				if (write_all(out, buf, (size_t)n) < 0)
					FAIL("tmpcopyup: write %s", name);
			if (n < 0)
				FAIL("tmpcopyup: read %s", name);
			copy_xattrs(in, out);
			close(in);
			close(out);
		} else if (S_ISLNK(sb.st_mode)) {
			char target[PATH_MAX];
			ssize_t len = readlinkat(src, name, target, sizeof target - 1);
			if (len < 0)
				FAIL("tmpcopyup: read the link %s", name);
			target[len] = '\0';
			if (symlinkat(target, dst, name) < 0)
				FAIL("tmpcopyup: link %s", name);
		} else if (mknodat(dst, name, sb.st_mode, sb.st_rdev) < 0) {
			FAIL("tmpcopyup: make the node %s", name);
		}
		if (fchownat(dst, name, sb.st_uid, sb.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
			FAIL("tmpcopyup: chown %s", name);
		if (!S_ISLNK(sb.st_mode) && fchmodat(dst, name, sb.st_mode & 07777, 0) < 0)
			FAIL("tmpcopyup: chmod %s", name);
		struct timespec times[2] = { sb.st_atim, sb.st_mtim };
		if (utimensat(dst, name, times, AT_SYMLINK_NOFOLLOW) < 0)
			FAIL("tmpcopyup: set the times of %s", name);
	}
	if (errno)
		FAIL("tmpcopyup: read the directory");
	closedir(d);
}

static void fsconfig_param(int fsfd, char *param)
{
	char log[1024];
	char *eq = strchr(param, '=');
	int rc;
	if (eq) {
		*eq = '\0';
		rc = fsconfig(fsfd, FSCONFIG_SET_STRING, param, eq + 1, 0);
		*eq = '=';
	} else {
		rc = fsconfig(fsfd, FSCONFIG_SET_FLAG, param, NULL, 0);
	}
	if (rc < 0) {
		int e = errno;
		fs_context_log(fsfd, log, sizeof log);
		errno = e;
		FAIL("option %s%s%s%s", param, *log ? " (" : "", log, *log ? ")" : "");
	}
}

static void op_mount_fs(const struct step *st)
{
	const char *fstype = S(st, MOUNT_FS_fstype), *source = S(st, MOUNT_FS_source), *dest = S(st, MOUNT_FS_dest);
	char **params = V(st, MOUNT_FS_params);
	int resolve = (int)I(st, MOUNT_FS_resolve);
	char log[1024], mode[32] = "";
	int fsfd, mnt, target;
	struct stat sb;
	/* the mount point first: a tmpfs over an existing directory takes its mode, as with runc */
	target = open_in_root(dest, O_PATH | O_DIRECTORY, resolve);
	if (target >= 0 && I(st, MOUNT_FS_modeFromTarget)) {
		if (fstat(target, &sb) < 0)
			FAIL("stat the mount point");
		snprintf(mode, sizeof mode, "mode=%04o", (unsigned)(sb.st_mode & 07777));
	}
	if (target < 0 && errno != ENOENT)
		FAIL("create mount point");
	if (target < 0)
		target = mkdir_all_in_root(dest, 0755, resolve);
	if (target < 0)
		FAIL("create mount point");
	check_mount_target(target, (int)I(st, MOUNT_FS_procPolicy), -1);
	fsfd = fsopen(fstype, FSOPEN_CLOEXEC);
	if (fsfd < 0)
		FAIL_STEP();
	if (*source && fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		FAIL("source %s", source);
	if (*mode)
		fsconfig_param(fsfd, mode);
	for (char **p = params; *p; p++)
		fsconfig_param(fsfd, *p);
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		int e = errno;
		fs_context_log(fsfd, log, sizeof log);
		errno = e;
		FAIL("%s", log);
	}
	mnt = fsmount(fsfd, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0)
		FAIL_STEP();
	close(fsfd);
	if (I(st, MOUNT_FS_copyUp)) {
		/* the new root directory takes the covered one's owner and mode too */
		if (fstat(target, &sb) < 0 || fchownat(mnt, "", sb.st_uid, sb.st_gid, AT_EMPTY_PATH) < 0)
			FAIL("tmpcopyup: chown the new root");
		copy_tree(target, mnt, 0);
	}
	struct attrs at = { .set = (uint64_t)I(st, MOUNT_FS_set), .clr = (uint64_t)I(st, MOUNT_FS_clear),
			    .propagation = (uint64_t)I(st, MOUNT_FS_propagation) };
	finish_mount(mnt, target, &at);
	close(mnt);
	close(target);
}

/* Binds the rootfs onto itself so it is a mount point pivot_root accepts, then opens it. */
static void op_prepare_rootfs(const struct step *st)
{
	const char *rootfs = S(st, PREPARE_ROOTFS_rootfs), *parent_mount = S(st, PREPARE_ROOTFS_parentMount);
	int tree;
	/* opened here, in the new mount namespace: open_tree only clones mounts of our own namespace */
	devnull_fd = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (devnull_fd < 0)
		FAIL("open /dev/null");
	verify_null_device(devnull_fd);
	if (!I(st, PREPARE_ROOTFS_bindOntoItself)) {
		root_fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root_fd < 0)
			FAIL("open rootfs %s", rootfs);
		return;
	}
	if (*parent_mount && mount(NULL, parent_mount, NULL, MS_PRIVATE, NULL) < 0)
		FAIL("make %s private", parent_mount);
	tree = open_tree(AT_FDCWD, rootfs, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (tree < 0)
		FAIL("open rootfs %s", rootfs);
	int under = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (under < 0)
		FAIL("open rootfs %s", rootfs);
	if (attach(tree, under) < 0)
		FAIL("bind rootfs %s", rootfs);
	close(under);
	root_fd = tree;   /* after attaching, the tree fd is the new mount's root */
}

static void op_mknod(const struct step *st)
{
	const char *dest = S(st, MKNOD_path);
	mode_t mode = (mode_t)I(st, MKNOD_mode);
	dev_t dev = makedev((unsigned)I(st, MKNOD_major), (unsigned)I(st, MKNOD_minor));
	char parent_path[4096];
	const char *slash = strrchr(dest, '/');
	const char *name = slash ? slash + 1 : dest;
	size_t n = slash ? (size_t)(slash - dest) : 0;
	int parent;
	if (n >= sizeof parent_path)
		report_error(ENAMETOOLONG, "create device %s", dest);
	memcpy(parent_path, dest, n);
	parent_path[n] = '\0';
	parent = n ? mkdir_all_in_root(parent_path, 0755, RES_IN_ROOT) : open_in_root("", O_PATH | O_DIRECTORY, RES_IN_ROOT);
	if (parent < 0)
		FAIL("create its directory");
	/* a device the config names replaces whatever the image put there */
	if (unlinkat(parent, name, 0) < 0 && errno != ENOENT)
		FAIL("remove what the image has there");
	if (mknodat(parent, name, mode, dev) < 0)
		FAIL_STEP();
	if (fchownat(parent, name, (uid_t)I(st, MKNOD_uid), (gid_t)I(st, MKNOD_gid), AT_SYMLINK_NOFOLLOW) < 0)
		FAIL("chown");
	close(parent);
}

static void op_bind_device(const struct step *st)
{
	const char *host = S(st, BIND_DEVICE_hostPath), *dest = S(st, BIND_DEVICE_dest);
	int tree = open_tree(AT_FDCWD, host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		FAIL("open %s", host);
	int target = mkfile_in_root(dest, RES_IN_ROOT);
	if (target < 0)
		FAIL("create mount point");
	check_mount_target(target, 0, -1);
	if (attach(tree, target) < 0)
		FAIL_STEP();
	close(tree);
	close(target);
}

static void op_symlink(const struct step *st)
{
	const char *target = S(st, SYMLINK_target), *dest = S(st, SYMLINK_path);
	char parent_path[4096];
	const char *slash = strrchr(dest, '/');
	size_t n = slash ? (size_t)(slash - dest) : 0;
	if (n >= sizeof parent_path)
		report_error(ENAMETOOLONG, "symlink %s", dest);
	memcpy(parent_path, dest, n);
	parent_path[n] = '\0';
	int parent = n ? mkdir_all_in_root(parent_path, 0755, RES_IN_ROOT) : open_in_root("", O_PATH | O_DIRECTORY, RES_IN_ROOT);
	if (parent < 0)
		FAIL("create its directory");
	if (symlinkat(target, parent, slash ? slash + 1 : dest) < 0 && errno != EEXIST)
		FAIL_STEP();
	close(parent);
}


/*
 * Masking: files are covered by a bind of a /dev/null we verified ourselves, directories
 * by an empty read-only tmpfs.  A path the image lacks needs no mask.
 */
static void op_mask(const struct step *st)
{
	const char *dest = S(st, MASK_path);
	struct stat sb;
	int target = open_in_root(dest, O_PATH | O_NOFOLLOW, RES_IN_ROOT);
	if (target < 0) {
		if (errno == ENOENT)
			return;
		FAIL("open it");
	}
	if (fstat(target, &sb) < 0)
		FAIL("stat it");
	if (S_ISDIR(sb.st_mode)) {
		/*
		 * Every masked directory shows the same read-only tmpfs (runc does this too: one
		 * superblock instead of one per directory, on nodes that run many containers).
		 */
		int mnt = shared_mask >= 0 ? open_tree(shared_mask, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH) : -1;
		if (mnt < 0) {
			int fsfd = fsopen("tmpfs", FSOPEN_CLOEXEC);
			if (fsfd < 0 || fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
				FAIL("mask %s", dest);
			mnt = fsmount(fsfd, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
			close(fsfd);
			if (mnt < 0)
				FAIL("mask %s", dest);
		}
		if (attach(mnt, target) < 0)
			FAIL("mask %s", dest);
		if (shared_mask < 0)
			shared_mask = mnt;
		else
			close(mnt);
	} else {
		int tree = open_tree(devnull_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
		if (tree < 0)
			FAIL("mask %s", dest);
		/* what is mounted must be the null device, whatever happened to paths meanwhile (CVE-2025-31133) */
		verify_null_device(tree);
		if (attach(tree, target) < 0)
			FAIL("mask %s", dest);
		close(tree);
	}
	close(target);
}

static void op_readonly(const struct step *st)
{
	const char *dest = S(st, READONLY_path);
	int target = open_in_root(dest, O_PATH | O_NOFOLLOW, RES_IN_ROOT);
	if (target < 0) {
		if (errno == ENOENT)
			return;
		FAIL("open it");
	}
	int tree = open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
	if (tree < 0)
		FAIL("bind it onto itself");
	struct attrs at = { .rset = MOUNT_ATTR_RDONLY };
	finish_mount(tree, target, &at);
	close(tree);
	close(target);
}

/* ---------------------------------------------------------------- console */

static void op_console(const struct step *st)
{
	int sock = (int)I(st, CONSOLE_socketFd);
	struct winsize ws = { .ws_row = (unsigned short)I(st, CONSOLE_rows), .ws_col = (unsigned short)I(st, CONSOLE_cols) };
	struct statfs sfs;
	int unlock = 0;
	struct stat sb;
	int master = open_in_root("dev/pts/ptmx", O_RDWR | O_NOCTTY, RES_NO_SYMLINKS);
	if (master < 0)
		FAIL("open dev/pts/ptmx");
	/* the ptmx node devpts itself makes: inode 2, char 5:2 */
	if (fstatfs(master, &sfs) < 0 || sfs.f_type != DEVPTS_SUPER_MAGIC)
		report_error(EINVAL, "dev/pts/ptmx is not on a devpts filesystem");
	if (fstat(master, &sb) < 0 || !S_ISCHR(sb.st_mode) || sb.st_rdev != makedev(5, 2) || sb.st_ino != 2)
		report_error(EINVAL, "dev/pts/ptmx is not the devpts ptmx device");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		FAIL("unlock pty");
	console_peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (console_peer < 0)
		FAIL("open pty peer");
	/* the user's, in devpts's group (tty) and mode (0620); ids the namespace lacks leave it as it is */
	if (fchown(console_peer, (uid_t)I(st, CONSOLE_uid), (gid_t)-1) < 0 && errno != EINVAL && errno != EPERM &&
	    errno != EROFS)
		FAIL("chown pty peer");
	if ((ws.ws_row || ws.ws_col) && ioctl(master, TIOCSWINSZ, &ws) < 0)
		FAIL("set console size");
	if (I(st, CONSOLE_bindDevConsole)) {
		int target = mkfile_in_root("dev/console", RES_NO_SYMLINKS);
		if (target < 0)
			FAIL("create dev/console");
		/* a file or device node on an ordinary filesystem, never a procfs or sysfs file (CVE-2025-52565) */
		if (fstat(target, &sb) < 0 || fstatfs(target, &sfs) < 0)
			FAIL("stat dev/console");
		if ((!S_ISREG(sb.st_mode) && !S_ISCHR(sb.st_mode)) || sfs.f_type == PROC_SUPER_MAGIC ||
		    sfs.f_type == SYSFS_MAGIC)
			report_error(EINVAL, "dev/console is not a regular file or device node");
		int tree = open_tree(console_peer, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
		if (tree < 0 || attach(tree, target) < 0)
			FAIL("bind pty peer on dev/console");
		close(tree);
		close(target);
	}
	if (send_fd(sock, master, "/dev/ptmx", 9) < 0)
		FAIL("send pty master to the console socket");
	close(master);
	close(sock);
}

static void op_ctty(void)
{
	if (console_peer < 0)
		report_error(EBADF, "no console to make the controlling terminal");
	if (ioctl(console_peer, TIOCSCTTY, 0) < 0)
		FAIL("make the console the controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(console_peer, fd) < 0)
			FAIL("attach the console to fd %d", fd);
	close(console_peer);
	console_peer = -1;
}

/* ---------------------------------------------------------------- hooks */

/* How a hook ended; the numbers are HookOutcome.How's, from 1. */
enum hook_how { HOOK_EXITED = 1, HOOK_SIGNALED, HOOK_TIMED_OUT, HOOK_NOT_STARTED };

/* Go's names for signals, which runc's hook messages carry (mirrors HookOutcome.signalName). */
static const char *signal_name(int sig)
{
	static const char *const names[] = { [1] = "hangup", [2] = "interrupt", [3] = "quit",
		[4] = "illegal instruction", [5] = "trace/breakpoint trap", [6] = "aborted", [7] = "bus error",
		[8] = "floating point exception", [9] = "killed", [10] = "user defined signal 1",
		[11] = "segmentation fault", [12] = "user defined signal 2", [13] = "broken pipe",
		[14] = "alarm clock", [15] = "terminated", [31] = "bad system call" };
	static char other[32];
	if (sig > 0 && sig < (int)(sizeof names / sizeof names[0]) && names[sig])
		return names[sig];
	snprintf(other, sizeof other, "signal %d", sig);
	return other;
}

/* Output kept of a failing hook, as HookRunner keeps it. */
#define HOOK_OUTPUT_MAX 4096

static void strip(char *s, size_t *len)
{
	while (*len && (s[*len - 1] == '\n' || s[*len - 1] == ' ' || s[*len - 1] == '\t' || s[*len - 1] == '\r'))
		s[--*len] = '\0';
}

/*
 * A hook failed.  While the parent listens it formats the message (as for the hooks it runs
 * itself); afterwards, for startContainer hooks, the same sentence goes to stderr.
 */
static void report_hook(const char *name, const char *path, int how, int64_t value, char *out, size_t outlen,
			char *err, size_t errlen)
{
	if (sync_fd >= 0) {
		size_t len = 20 + outlen + errlen;
		char *buf = malloc(len);
		if (buf) {
			int32_t head[2] = { current_step, how };
			uint32_t olen = (uint32_t)outlen;
			memcpy(buf, head, 8);
			memcpy(buf + 8, &value, 8);
			memcpy(buf + 16, &olen, 4);
			memcpy(buf + 20, out, outlen);
			memcpy(buf + 20 + outlen, err, errlen);
			send_msg(MSG_HOOK_FAILED, buf, (uint32_t)len);
		}
		_exit(1);
	}
	strip(out, &outlen);
	strip(err, &errlen);
	if (how == HOOK_TIMED_OUT)
		dprintf(2, "error running %s: hook ran past specified timeout of %lld.0s\n", name, (long long)value);
	else if (how == HOOK_NOT_STARTED)
		dprintf(2, "error running %s: fork/exec %s: %s\n", name, path, errtext((int)value));
	else if (how == HOOK_SIGNALED)
		dprintf(2, "error running %s: signal: %s, stdout: %s, stderr: %s\n", name, signal_name((int)value), out, err);
	else
		dprintf(2, "error running %s: exit status %lld, stdout: %s, stderr: %s\n", name, (long long)value, out, err);
	_exit(1);
}

/* env with one more NAME=VALUE at its end (HOME from passwd); exits if memory runs out */
static char **with_var(char **env, size_t n, char *var)
{
	char **out = calloc(n + 2, sizeof(char *));
	if (!out)
		report_error(ENOMEM, "environment");
	memcpy(out, env, n * sizeof(char *));
	out[n] = var;
	return out;
}

/* Runs a hook with the last ACK payload (the state JSON) on stdin, within its timeout. */
static void op_run_hook(const struct step *st)
{
	const char *name = S(st, RUN_HOOK_name), *path = S(st, RUN_HOOK_path);
	char **argv = V(st, RUN_HOOK_args), **envp = V(st, RUN_HOOK_env);
	int64_t timeout = I(st, RUN_HOOK_timeoutSeconds);
	int in[2], out[2], err[2], gate[2];
	char output[2][HOOK_OUTPUT_MAX + 1];
	size_t used[2] = { 0, 0 };
	int status, exec_errno = 0;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 ||
	    pipe2(gate, O_CLOEXEC) < 0)
		FAIL("hook %s: pipe", path);
	pid_t pid = fork();
	if (pid < 0)
		FAIL("hook %s: fork", path);
	if (pid == 0) {
		int e;
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (I(st, RUN_HOOK_inRootfs) && root_fd >= 0 && fchdir(root_fd) < 0)
			_exit(127);
		if (I(st, RUN_HOOK_addHome) && home_env)
			envp = with_var(envp, st->a[RUN_HOOK_env].count, home_env);
		execve(path, argv, envp);
		/* the parent tells "could not start" from "exited 127" by this errno */
		e = errno;
		write_all(gate[1], &e, sizeof e);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	close(gate[1]);
	if (read_all(gate[0], &exec_errno, sizeof exec_errno) < 0)
		exec_errno = 0;   /* EOF: exec succeeded and closed the pipe */
	close(gate[0]);
	/* a hook that ignores stdin must not make us die of SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	if (!exec_errno && ack_len)
		write_all(in[1], ack_payload, ack_len);
	close(in[1]);
	signal(SIGPIPE, SIG_DFL);
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pfd[3] = { { .fd = out[0], .events = POLLIN }, { .fd = err[0], .events = POLLIN },
				 { .fd = pidfd, .events = POLLIN } };
	int timeout_ms = timeout > 0 ? (int)(timeout * 1000) : -1;
	int exited = 0, timed_out = 0;
	while (!exited || pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		int rc = poll(pfd, 3, timeout_ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc == 0) {
			timed_out = 1;
			kill(pid, SIGKILL);
			break;
		}
		for (int k = 0; k < 2; k++) {
			if (!pfd[k].revents)
				continue;
			char buf[512];
			ssize_t n = read(pfd[k].fd, buf, sizeof buf);
			if (n <= 0) {
				pfd[k].fd = -1;
			} else if (used[k] < HOOK_OUTPUT_MAX) {
				size_t take_n = (size_t)n < HOOK_OUTPUT_MAX - used[k] ? (size_t)n : HOOK_OUTPUT_MAX - used[k];
				memcpy(output[k] + used[k], buf, take_n);
				used[k] += take_n;
			}
		}
		if (pfd[2].revents) {
			exited = 1;
			pfd[2].fd = -1;
		}
	}
	output[0][used[0]] = output[1][used[1]] = '\0';
	close(out[0]);
	close(err[0]);
	close(pidfd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (exec_errno)
		report_hook(name, path, HOOK_NOT_STARTED, exec_errno, output[0], 0, output[1], 0);
	if (timed_out)
		report_hook(name, path, HOOK_TIMED_OUT, timeout, output[0], 0, output[1], 0);
	if (WIFSIGNALED(status))
		report_hook(name, path, HOOK_SIGNALED, WTERMSIG(status), output[0], used[0], output[1], used[1]);
	if (WEXITSTATUS(status) != 0)
		report_hook(name, path, HOOK_EXITED, WEXITSTATUS(status), output[0], used[0], output[1], used[1]);
}

/* ---------------------------------------------------------------- root switch */

static void op_pivot_root(void)
{
	if (fchdir(root_fd) < 0)
		FAIL("chdir to the rootfs");
	/* pivot_root(".", ".") stacks the old root under the new one; we then detach it */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		FAIL("pivot_root");
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		FAIL("make the old root a slave");
	if (umount2(".", MNT_DETACH) < 0)
		FAIL("detach the old root");
	if (chdir("/") < 0)
		FAIL("chdir /");
}

/*
 * --no-pivot keeps the old root's mounts reachable in the mount namespace, and a fully visible
 * procfs or sysfs there would let the container mount a fresh, unmasked one (the kernel refuses
 * that only while no full one is visible).  So the ones the plan names go first: detached, or
 * where that is not allowed, covered by an empty tmpfs.
 */
static void op_move_root(const struct step *st)
{
	for (char **p = V(st, MOVE_ROOT_hideMounts); *p; p++) {
		if (mount(NULL, *p, NULL, MS_SLAVE | MS_REC, NULL) < 0) {
			if (errno == ENOENT)
				continue;   /* under one already detached */
			FAIL("make %s a slave", *p);
		}
		if (umount2(*p, MNT_DETACH) < 0) {
			if ((errno != EINVAL && errno != EPERM) || mount("tmpfs", *p, "tmpfs", 0, NULL) < 0)
				FAIL("hide %s", *p);
		}
	}
	if (fchdir(root_fd) < 0)
		FAIL("chdir to rootfs");
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		FAIL("move rootfs to /");
	if (chroot(".") < 0)
		FAIL("chroot");
	if (chdir("/") < 0)
		FAIL("chdir /");
}

/* ---------------------------------------------------------------- credentials */

static void op_cap_bounding(const struct step *st)
{
	uint64_t keep = (uint64_t)I(st, CAP_BOUNDING_keep);
	for (int cap = 0; cap < 64; cap++) {
		if (keep & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break;  /* past the kernel's last capability */
			FAIL("drop capability %d from the bounding set", cap);
		}
	}
}

static void op_capset(const struct step *st)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	uint64_t eff = (uint64_t)I(st, CAPSET_effective), perm = (uint64_t)I(st, CAPSET_permitted), inh = (uint64_t)I(st, CAPSET_inheritable);
	data[0].effective = (uint32_t)eff;
	data[1].effective = (uint32_t)(eff >> 32);
	data[0].permitted = (uint32_t)perm;
	data[1].permitted = (uint32_t)(perm >> 32);
	data[0].inheritable = (uint32_t)inh;
	data[1].inheritable = (uint32_t)(inh >> 32);
	if (syscall(SYS_capset, &hdr, data) < 0)
		FAIL_STEP();
}

/*
 * A capability that cannot be raised (not inheritable, not permitted) is a warning, as the
 * spec asks and runc does: the parent names it; the container runs without it.
 */
static void op_ambient(const struct step *st)
{
	uint64_t raise = (uint64_t)I(st, AMBIENT_raise);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		FAIL("clear the ambient capabilities");
	for (int cap = 0; cap < 64; cap++)
		if ((raise & (1ULL << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			report_warning(errno, "%d", cap);
}

static void op_setgroups(const struct step *st)
{
	const char *packed = S(st, SET_GROUPS_gids);
	size_t n = st->a[SET_GROUPS_gids].len / 4;
	gid_t *gids = calloc(n ? n : 1, sizeof(gid_t));
	if (!gids)
		FAIL("setgroups");
	for (size_t k = 0; k < n; k++)
		memcpy(&gids[k], packed + 4 * k, 4);
	if (setgroups(n, gids) < 0)
		FAIL("setgroups");
	free(gids);
}

static void op_seccomp(const struct step *st)
{
	unsigned int flags = (unsigned int)I(st, SECCOMP_flags);
	const char *bytes = S(st, SECCOMP_program);
	struct sock_fprog prog = { .len = (unsigned short)(st->a[SECCOMP_program].len / sizeof(struct sock_filter)),
				   .filter = (struct sock_filter *)(void *)bytes };
	int listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	/* EINVAL: a flag this kernel lacks, or a program it refuses; say which were asked for */
	if (listener < 0)
		FAIL("seccomp(SECCOMP_SET_MODE_FILTER, flags %#x, %u instructions)", flags, (unsigned)prog.len);
	if (I(st, SECCOMP_sendListener)) {
		/* the parent copies it out of us (pidfd_getfd) while we wait */
		int32_t msg[2] = { FD_SECCOMP_LISTENER, listener };
		if (send_msg(MSG_FD, msg, sizeof msg) < 0)
			FAIL("send seccomp listener");
		sync_with_parent(SYNC_SECCOMP);
		close(listener);
	}
}

/* ---------------------------------------------------------------- process set-up */

static int cwd_deferred;   /* a first chdir was denied; the one after the ids change must do it */

static void op_chdir(const struct step *st)
{
	const char *path = S(st, CHDIR_path);
	char cwd[4096];
	if (!I(st, CHDIR_deferIfDenied) && !cwd_deferred)
		return;   /* the first attempt already succeeded */
	if (chdir(path) < 0) {
		if (I(st, CHDIR_deferIfDenied) && (errno == EACCES || errno == EPERM)) {
			cwd_deferred = 1;
			return;
		}
		FAIL_STEP();
	}
	cwd_deferred = 0;
	/*
	 * A cwd reached through a leaked fd lies outside our root; the kernel then reports it as
	 * "(unreachable)/..." (glibc's getcwd would hide that as ENOENT, so ask the kernel).
	 */
	if (syscall(SYS_getcwd, cwd, sizeof cwd) < 0)
		FAIL("verify cwd %s", path);
	if (cwd[0] != '/')
		report_error(EPERM, "cwd %s is outside the container root", path);
}


/*
 * Resolves argv[0] the way runc does before reporting "created", so a missing binary fails
 * create (and exec) with runc's words; the errno still travels for the exit status.
 */
/* Whether gid is one of the process's supplementary groups. */
static int in_groups(gid_t gid)
{
	gid_t groups[256];
	int n = getgroups(256, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

/*
 * Whether execve would run path, judged with the process's final effective ids and
 * capabilities (CAP_DAC_OVERRIDE lets it run a file others may not), not the real ids
 * access(2) uses.
 */
static int executable(const char *path)
{
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
	if (syscall(SYS_faccessat2, AT_FDCWD, path, X_OK, AT_EACCESS) == 0)
		return 0;
	/* a seccomp profile older than faccessat2 refuses it (EPERM): judge from the mode bits */
	if (errno != ENOSYS && errno != EPERM)
		return -1;
	struct stat sb;
	if (stat(path, &sb) < 0)
		return -1;
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct caps[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	int dac_override = syscall(SYS_capget, &hdr, caps) == 0 &&
		(caps[0].effective & (1u << CAP_DAC_OVERRIDE));
	mode_t bits;
	if (dac_override || geteuid() == 0)
		bits = S_IXUSR | S_IXGRP | S_IXOTH;   /* any one x bit will do */
	else if (sb.st_uid == geteuid())
		bits = S_IXUSR;
	else if (sb.st_gid == getegid() || in_groups(sb.st_gid))
		bits = S_IXGRP;
	else
		bits = S_IXOTH;
	if (sb.st_mode & bits)
		return 0;
	errno = EACCES;
	return -1;
}

static void op_lookup_exec(const struct step *st)
{
	const char *name = S(st, LOOKUP_EXEC_name), *pathenv = S(st, LOOKUP_EXEC_path);
	struct stat sb;
	if (strchr(name, '/')) {
		if (stat(name, &sb) < 0)
			report_error(errno, "exec: \"%s\": stat %s: %s", name, name, errtext(errno));
		if (S_ISDIR(sb.st_mode))
			report_error(EACCES, "exec: \"%s\": is a directory", name);
		if (executable(name) < 0)
			report_error(errno, "exec: \"%s\": %s", name, errtext(errno));
		snprintf(exec_path, sizeof exec_path, "%s", name);
		return;
	}
	int saw_eacces = 0;
	const char *p = pathenv;
	while (*p) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		char candidate[4096];
		if (n == 0)
			snprintf(candidate, sizeof candidate, "./%s", name);
		else
			snprintf(candidate, sizeof candidate, "%.*s/%s", (int)n, p, name);
		if (stat(candidate, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
			if (executable(candidate) == 0) {
				snprintf(exec_path, sizeof exec_path, "%s", candidate);
				return;
			}
			saw_eacces = 1;
		}
		if (!colon)
			break;
		p = colon + 1;
	}
	if (saw_eacces)
		report_error(EACCES, "exec: \"%s\": permission denied", name);
	report_error(ENOENT, "exec: \"%s\": executable file not found in $PATH", name);
}

/* runc's rule: without HOME in the env, use the user's home from the container's passwd, else "/" */
static void op_default_home(uid_t uid)
{
	char line[1024];
	const char *home = "/";
	FILE *f = fopen("/etc/passwd", "re");
	while (f && fgets(line, sizeof line, f)) {
		char *fields[7];
		char *p = line;
		int n = 0;
		for (; n < 7 && p; n++)
			fields[n] = strsep(&p, ":");
		if (n == 7 && (uid_t)strtoul(fields[2], NULL, 10) == uid && fields[2][0]) {
			fields[5][strcspn(fields[5], "\n")] = '\0';
			if (fields[5][0])
				home = fields[5];
			break;
		}
	}
	if (asprintf(&home_env, "HOME=%s", home) < 0)
		FAIL("set HOME");
	if (f)
		fclose(f);
}

static void op_exec(const struct step *st)
{
	char **envp = V(st, EXEC_env);
	const char *path = exec_path[0] ? exec_path : V(st, EXEC_argv)[0];
	if (home_env)
		envp = with_var(envp, st->a[EXEC_env].count, home_env);
	execve(path, V(st, EXEC_argv), envp);
	FAIL("exec %s", path);
}

static void op_setattr(const struct step *st)
{
	const char *dest = S(st, SET_ATTR_dest);
	int fd = open_in_root(dest, O_PATH | O_DIRECTORY, RES_IN_ROOT);
	if (fd < 0)
		FAIL("open it");
	if (set_attrs(fd, (uint64_t)I(st, SET_ATTR_set), atime_clear((uint64_t)I(st, SET_ATTR_set), (uint64_t)I(st, SET_ATTR_clear)), 0, (int)I(st, SET_ATTR_recursive)) < 0)
		FAIL_STEP();
	close(fd);
}

static void op_wait_start(int fifo)
{
	char c;
	ssize_t n;
	do {
		n = read(fifo, &c, 1);
	} while (n < 0 && errno == EINTR);
	if (n != 1)
		FAIL("wait for start");
	close(fifo);
}

static void op_sched(const struct step *st)
{
	/* the kernel's struct sched_attr, which glibc does not declare */
	struct {
		uint32_t size, policy;
		uint64_t flags;
		int32_t nice;
		uint32_t priority;
		uint64_t runtime, deadline, period;
	} attr = { .size = 48, .policy = (uint32_t)I(st, SCHED_policy), .flags = (uint64_t)I(st, SCHED_flags),
		   .nice = (int32_t)I(st, SCHED_nice), .priority = (uint32_t)I(st, SCHED_priority), .runtime = (uint64_t)I(st, SCHED_runtime),
		   .deadline = (uint64_t)I(st, SCHED_deadline), .period = (uint64_t)I(st, SCHED_period) };
	if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
		FAIL_STEP();
}

static void op_proc_write(const struct step *st)
{
	const char *rel = S(st, PROC_WRITE_path), *data = S(st, PROC_WRITE_data);
	struct statfs sfs;
	/* nothing mounted over a path component may redirect the write to another file (CVE-2025-52881) */
	int fd = openat2_fd(proc_fd, rel, O_WRONLY, RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS);
	if (fd < 0 && errno == ELOOP) /* self/ is the one symlink we allow: procfs's own, not a magic link */
		fd = openat2_fd(proc_fd, rel, O_WRONLY, RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS);
	if (fd < 0)
		FAIL("open /proc/%s", rel);
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		report_error(EXDEV, "/proc/%s is not a procfs file", rel);
	if (write_all(fd, data, st->a[PROC_WRITE_data].len) < 0)
		FAIL("write /proc/%s", rel);
	close(fd);
}

/* ---------------------------------------------------------------- namespaces */

/*
 * Joins the namespaces at the plan's paths in runc's order: every path opened first (after
 * joining the mount or user namespace they may no longer resolve), then each namespace but
 * the user one where permitted, then the user namespace, becoming its root as a new one makes
 * us, then whatever needed its privileges.  Only a namespace never joined is an error.
 */
static void op_join_namespaces(const struct step *st)
{
	char **paths = V(st, JOIN_NAMESPACES_paths), **names = V(st, JOIN_NAMESPACES_names);
	const char *types = S(st, JOIN_NAMESPACES_types);
	uint32_t n = st->a[JOIN_NAMESPACES_paths].count;
	int fds[16];
	uint32_t type[16];
	if (n > 16 || st->a[JOIN_NAMESPACES_types].len != 4 * n)
		report_error(EINVAL, "malformed namespace list");
	for (uint32_t i = 0; i < n; i++) {
		memcpy(&type[i], types + 4 * i, 4);
		fds[i] = open(paths[i], O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			report_error(errno, "join %s namespace %s: %s", names[i], paths[i], errtext(errno));
	}
	for (int pass = 0; pass < 3; pass++) {
		for (uint32_t i = 0; i < n; i++) {
			int user = type[i] == CLONE_NEWUSER;
			if (fds[i] < 0 || (pass == 1) != user)
				continue;
			if (setns(fds[i], (int)type[i]) < 0) {
				if (errno == EPERM && pass == 0)
					continue;
				report_error(errno, "join %s namespace %s: %s", names[i], paths[i], errtext(errno));
			}
			close(fds[i]);
			fds[i] = -1;
			/* the gid too where it is mapped, or files made for the container fail with EOVERFLOW */
			if ((user && setresuid(0, 0, 0) < 0) || (user && setresgid(0, 0, 0) < 0 && errno != EINVAL))
				report_error(errno, "become root in user namespace %s: %s", paths[i], errtext(errno));
		}
	}
}

/* ---------------------------------------------------------------- main loop */

static void run_step(const struct step *st)
{
	switch (st->op) {
	case OP_SYNC:
		sync_with_parent((uint32_t)I(st, SYNC_tag));
		break;
	case OP_OPEN_MOUNT_SOURCES: {
		char **sources = V(st, OPEN_MOUNT_SOURCES_sources);
		const char *rec = S(st, OPEN_MOUNT_SOURCES_recursive);
		nsource_trees = st->a[OPEN_MOUNT_SOURCES_sources].count;
		source_trees = calloc(nsource_trees ? nsource_trees : 1, sizeof(int));
		if (!source_trees || st->a[OPEN_MOUNT_SOURCES_recursive].len != nsource_trees)
			report_error(EINVAL, "malformed mount source list");
		/* a source that fails here may still open inside; its error is reported there */
		for (uint32_t i = 0; i < nsource_trees; i++)
			source_trees[i] = open_tree(AT_FDCWD, sources[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
						    (rec[i] ? AT_RECURSIVE : 0));
		break;
	}
	case OP_MAPPING_USERNS:
		op_mapping_userns(st);
		break;
	case OP_ID_MAP_SOURCE:
		op_id_map_source(st);
		break;
	case OP_JOIN_NAMESPACES:
		op_join_namespaces(st);
		break;
	case OP_SETNS_FD:
		if (setns((int)I(st, SETNS_FD_pidfd), (int)I(st, SETNS_FD_types)) < 0)
			FAIL_STEP();
		close((int)I(st, SETNS_FD_pidfd));
		break;
	case OP_OPEN_ROOT:
		root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root_fd < 0)
			FAIL_STEP();
		break;
	case OP_UNSHARE:
		if (unshare((int)I(st, UNSHARE_flags)) < 0)
			FAIL_STEP();
		break;
	case OP_PROC_WRITE:
		op_proc_write(st);
		break;
	case OP_FORK: {
		/*
		 * CLONE_PARENT: the child becomes the Java side's child, so it can be waited for and
		 * reaped.  The child waits for us to be gone (the pipe's write end closes with us), so
		 * the parent always hears the child's pid before anything the child says.
		 */
		int gate[2];
		char c;
		if (pipe2(gate, O_CLOEXEC) < 0)
			FAIL_STEP();
		pid_t pid = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
		if (pid < 0)
			FAIL_STEP();
		if (pid > 0) {
			int32_t p = pid;
			send_msg(MSG_CHILD_PID, &p, sizeof p);
			_exit(0);
		}
		close(gate[1]);
		while (read(gate[0], &c, 1) < 0 && errno == EINTR)
			;
		close(gate[0]);
		break;
	}
	case OP_ROOT_PROPAGATION:
		if (mount(NULL, "/", NULL, (unsigned long)I(st, ROOT_PROPAGATION_flags), NULL) < 0)
			FAIL_STEP();
		break;
	case OP_PREPARE_ROOTFS:
		op_prepare_rootfs(st);
		break;
	case OP_MOUNT_GUARD:
		guard_dir = S(st, MOUNT_GUARD_dir);
		guard_allowed = V(st, MOUNT_GUARD_allowed);
		break;
	case OP_BIND:
		op_bind(st);
		break;
	case OP_MOUNT_FS:
		op_mount_fs(st);
		break;
	case OP_MKNOD:
		op_mknod(st);
		break;
	case OP_BIND_DEVICE:
		op_bind_device(st);
		break;
	case OP_SYMLINK:
		op_symlink(st);
		break;
	case OP_CONSOLE:
		op_console(st);
		break;
	case OP_MASK:
		op_mask(st);
		break;
	case OP_READONLY:
		op_readonly(st);
		break;
	case OP_RUN_HOOK:
		op_run_hook(st);
		break;
	case OP_ROOT_READONLY:
		if (set_attrs(root_fd, MOUNT_ATTR_RDONLY, 0, 0, 0) < 0)
			FAIL_STEP();
		break;
	case OP_PIVOT_ROOT:
		op_pivot_root();
		break;
	case OP_MOVE_ROOT:
		op_move_root(st);
		break;
	case OP_CHROOT:
		if (fchdir(root_fd) < 0 || chroot(".") < 0 || chdir("/") < 0)
			FAIL_STEP();
		break;
	case OP_SET_HOSTNAME:
		if (sethostname(S(st, SET_HOSTNAME_name), st->a[SET_HOSTNAME_name].len) < 0)
			FAIL_STEP();
		break;
	case OP_SET_DOMAINNAME:
		if (setdomainname(S(st, SET_DOMAINNAME_name), st->a[SET_DOMAINNAME_name].len) < 0)
			FAIL_STEP();
		break;
	case OP_SET_RLIMIT: {
		struct rlimit rl = { .rlim_cur = (rlim_t)I(st, SET_RLIMIT_soft), .rlim_max = (rlim_t)I(st, SET_RLIMIT_hard) };
		if (setrlimit((int)I(st, SET_RLIMIT_resource), &rl) < 0)
			FAIL_STEP();
		break;
	}
	case OP_PERSONALITY:
		if (personality((unsigned long)I(st, PERSONALITY_persona)) < 0)
			FAIL_STEP();
		break;
	case OP_SCHED:
		op_sched(st);
		break;
	case OP_IOPRIO:
		if (syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, (int)I(st, IOPRIO_value)) < 0)
			FAIL_STEP();
		break;
	case OP_AFFINITY:
		if (sched_setaffinity(0, st->a[AFFINITY_mask].len, (cpu_set_t *)(void *)st->a[AFFINITY_mask].s) < 0)
			FAIL_STEP();
		break;
	case OP_NO_NEW_PRIVS:
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			FAIL_STEP();
		break;
	case OP_SECCOMP:
		op_seccomp(st);
		break;
	case OP_CAP_BOUNDING:
		op_cap_bounding(st);
		break;
	case OP_SET_GROUPS:
		op_setgroups(st);
		break;
	case OP_SET_GID:
		if (setresgid((gid_t)I(st, SET_GID_gid), (gid_t)I(st, SET_GID_gid), (gid_t)I(st, SET_GID_gid)) < 0)
			FAIL_STEP();
		break;
	case OP_SET_UID:
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			FAIL("keep capabilities");
		if (setresuid((uid_t)I(st, SET_UID_uid), (uid_t)I(st, SET_UID_uid), (uid_t)I(st, SET_UID_uid)) < 0)
			FAIL_STEP();
		if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
			FAIL("reset keep capabilities");
		break;
	case OP_CAPSET:
		op_capset(st);
		break;
	case OP_AMBIENT:
		op_ambient(st);
		break;
	case OP_UMASK:
		umask((mode_t)I(st, UMASK_mask));
		break;
	case OP_CHDIR:
		op_chdir(st);
		break;
	case OP_MKDIR: {
		/* something there already (even a magic link: chdir will judge it) needs nothing made */
		int fd = open_in_root(S(st, MKDIR_path), O_PATH, RES_IN_ROOT);
		if (fd >= 0 || errno == ELOOP) {
			if (fd >= 0)
				close(fd);
			break;
		}
		fd = mkdir_all_in_root(S(st, MKDIR_path), (mode_t)I(st, MKDIR_mode), RES_IN_ROOT);
		if (fd < 0)
			FAIL_STEP();
		close(fd);
		break;
	}
	case OP_SETSID:
		if (setsid() < 0)
			FAIL_STEP();
		break;
	case OP_CTTY:
		op_ctty();
		break;
	case OP_LOOKUP_EXEC:
		op_lookup_exec(st);
		break;
	case OP_REPORT_CREATED:
		if (send_msg(MSG_CREATED, NULL, 0) < 0)
			_exit(1);
		close(sync_fd);
		sync_fd = -1;
		break;
	case OP_WAIT_START:
		op_wait_start((int)I(st, WAIT_START_fifoFd));
		break;
	case OP_CLOSE_SETUP_FDS:
		for (uint32_t i = 0; i < nsource_trees; i++)
			if (source_trees[i] >= 0)
				close(source_trees[i]);
		nsource_trees = 0;
		for (uint32_t i = 0; i < nmapping_userns; i++)
			close(mapping_userns[i]);
		nmapping_userns = 0;
		if (shared_mask >= 0)
			close(shared_mask);
		shared_mask = -1;
		if (root_fd >= 0)
			close(root_fd);
		if (proc_fd >= 0)
			close(proc_fd);
		if (devnull_fd >= 0)
			close(devnull_fd);
		root_fd = proc_fd = devnull_fd = -1;
		break;
	case OP_KEYRING:
		/* a kernel without keyrings (or a seccomp profile denying keyctl) is not an error, as in runc */
		if (syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, S(st, KEYRING_name)) < 0 &&
		    errno != ENOSYS && errno != EPERM && errno != EACCES)
			FAIL("join a new session keyring");
		break;
	case OP_EXEC:
		op_exec(st);
		break;
	case OP_SET_ATTR:
		op_setattr(st);
		break;
	case OP_MEMPOLICY:
		if (syscall(SYS_set_mempolicy, (int)I(st, MEMPOLICY_modeAndFlags), st->a[MEMPOLICY_nodes].len ? (const unsigned long *)(const void *)S(st, MEMPOLICY_nodes) : NULL,
			    (unsigned long)st->a[MEMPOLICY_nodes].len * 8 + 1) < 0)
			FAIL_STEP();
		break;
	case OP_DEFAULT_HOME:
		op_default_home((uid_t)I(st, DEFAULT_HOME_uid));
		break;
	default:
		report_error(EINVAL, "unknown plan operation %u", st->op);
	}
}

/*
 * A procfs instance of our own, attached nowhere: no process can mount over any of its files,
 * so a write meant for /proc/self/... or /proc/sys/... cannot be redirected.  A host whose
 * /proc is partly masked (jrun itself in a container) refuses a new instance; then the
 * host's /proc is used, and every write through it still refuses to cross a mount.
 */
static int private_procfs(void)
{
	int fsfd = fsopen("proc", FSOPEN_CLOEXEC);
	int mnt = -1;
	if (fsfd < 0)
		return -1;
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = fsmount(fsfd, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	close(fsfd);
	return mnt;
}

static int parse_int(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return (*s && !*end && v >= 0 && v < 1 << 20) ? (int)v : -1;
}

int main(int argc, char **argv)
{
	struct statfs sfs;
	uint32_t type, len;
	char *plan;
	int keep_from, keep_count, self_fd;

	/* nobody may ptrace us or open /proc/<pid>/fd while we hold host resources */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (argc != 5 || (sync_fd = parse_int(argv[1])) < 3 || (keep_from = parse_int(argv[2])) < 3 ||
	    (keep_count = parse_int(argv[3])) < 1 || (self_fd = parse_int(argv[4])) < 3) {
		fprintf(stderr, "jrun-init: started by something other than jrun\n");
		return 2;
	}
	/* the memfd we run from: the kernel keeps the image; a created container holds no copy */
	close(self_fd);
	/* whatever the JVM leaked into us must never reach the container */
	if (syscall(SYS_close_range, (unsigned)(keep_from + keep_count), ~0U, 0) < 0)
		for (int fd = keep_from + keep_count; fd < 65536; fd++)
			close(fd);
	for (int fd = keep_from; fd < keep_from + keep_count; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);

	proc_fd = private_procfs();
	if (proc_fd < 0)
		proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (proc_fd < 0 || fstatfs(proc_fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		report_error(errno ? errno : EINVAL, "/proc is not procfs");
	/* modes of what we create come from the plan alone; the container's umask is a plan step */
	umask(0);

	if (recv_msg(&type, &plan, &len) < 0 || type != MSG_PLAN)
		return 1;
	if (parse_plan(plan, len) < 0)
		report_error(EINVAL, "malformed plan");
	free(plan);
	for (uint32_t s = 0; s < nsteps; s++) {
		current_step = (int)s;
		run_step(&steps[s]);
	}
	report_error(EINVAL, "plan ended without exec");
}
