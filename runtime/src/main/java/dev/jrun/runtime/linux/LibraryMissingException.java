package dev.jrun.runtime.linux;

/** A shared library jrun needs for a feature is not installed on this host. */
public final class LibraryMissingException extends Exception {
    private static final long serialVersionUID = 1L;

    public LibraryMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
