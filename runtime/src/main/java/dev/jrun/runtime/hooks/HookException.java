package dev.jrun.runtime.hooks;

/** A hook failed: it could not start, exited non-zero, was killed or timed out. */
public final class HookException extends Exception {
    private static final long serialVersionUID = 1L;

    public HookException(String message) {
        super(message);
    }
}
