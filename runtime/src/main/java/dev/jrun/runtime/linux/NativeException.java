package dev.jrun.runtime.linux;

/** A failed system call: which operation, and the errno the kernel gave. */
public final class NativeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int errno;
    private final String operation;

    public NativeException(String operation, int errno) {
        super(operation + ": " + Errno.describe(errno));
        this.operation = operation;
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    public String operation() {
        return operation;
    }
}
