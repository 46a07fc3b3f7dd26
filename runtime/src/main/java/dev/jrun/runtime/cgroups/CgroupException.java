package dev.jrun.runtime.cgroups;

/** A cgroup operation failed; the message names the file or controller. */
public final class CgroupException extends Exception {
    private static final long serialVersionUID = 1L;

    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
