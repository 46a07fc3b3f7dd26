package dev.jrun.runtime.container;

/**
 * An operation failed for a reason the user can act on.  The message is the whole sentence
 * the CLI prints; callers (containerd, podman) match some of runc's phrases in it.
 */
public class JrunException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitStatus;

    public JrunException(String message) {
        this(message, 1);
    }

    /** @param exitStatus what jrun exits with, where runc's command has its own (exec: 255) */
    public JrunException(String message, int exitStatus) {
        super(message);
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }

    public JrunException(String message, Throwable cause) {
        super(message, cause);
        this.exitStatus = 1;
    }

    public static JrunException notFound(String id) {
        return new NotFound(id);
    }

    /** `container "x" does not exist`: delete --force treats it as success. */
    public static final class NotFound extends JrunException {
        private static final long serialVersionUID = 1L;

        NotFound(String id) {
            super("container \"" + id + "\" does not exist");
        }
    }
}
