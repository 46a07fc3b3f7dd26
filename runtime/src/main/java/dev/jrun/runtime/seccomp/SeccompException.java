package dev.jrun.runtime.seccomp;

/** The seccomp section cannot be turned into a filter here, or its listener cannot be reached. */
public final class SeccompException extends Exception {
    private static final long serialVersionUID = 1L;

    public SeccompException(String message) {
        super(message);
    }

    public SeccompException(String message, Throwable cause) {
        super(message, cause);
    }
}
