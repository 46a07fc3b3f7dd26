package dev.jrun.runtime.linux;

/**
 * errno numbers in words, worded as Go's syscall package words them, because callers such as
 * podman match runc's error text ("no such file or directory", "operation not permitted").
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;
    public static final int ECONNREFUSED = 111;
    public static final int ETIMEDOUT = 110;

    private static final String[] MESSAGES = {
        "success",
        "operation not permitted",
        "no such file or directory",
        "no such process",
        "interrupted system call",
        "input/output error",
        "no such device or address",
        "argument list too long",
        "exec format error",
        "bad file descriptor",
        "no child processes",
        "resource temporarily unavailable",
        "cannot allocate memory",
        "permission denied",
        "bad address",
        "block device required",
        "device or resource busy",
        "file exists",
        "invalid cross-device link",
        "no such device",
        "not a directory",
        "is a directory",
        "invalid argument",
        "too many open files in system",
        "too many open files",
        "inappropriate ioctl for device",
        "text file busy",
        "file too large",
        "no space left on device",
        "illegal seek",
        "read-only file system",
        "too many links",
        "broken pipe",
        "numerical argument out of domain",
        "numerical result out of range",
        "resource deadlock avoided",
        "file name too long",
        "no locks available",
        "function not implemented",
        "directory not empty",
        "too many levels of symbolic links",
    };

    private Errno() {
    }

    public static String describe(int errno) {
        if (errno >= 0 && errno < MESSAGES.length) {
            return MESSAGES[errno];
        }
        switch (errno) {
            case 95: return "operation not supported";
            case 98: return "address already in use";
            case 104: return "connection reset by peer";
            case ETIMEDOUT: return "connection timed out";
            case ECONNREFUSED: return "connection refused";
            case 113: return "no route to host";
            default: return "errno " + errno;
        }
    }
}
