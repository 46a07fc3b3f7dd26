package dev.jrun.runtime.checkpoint;

/** CRIU failed, or could not be asked; the message is a sentence for the user. */
public final class CriuException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String criuMessage;

    public CriuException(String message) {
        super(message);
        this.criuMessage = null;
    }

    /** @param criuMessage what CRIU gave as the reason (its first logged error), or null */
    public CriuException(String message, String criuMessage) {
        super(message);
        this.criuMessage = criuMessage;
    }

    public String criuMessage() {
        return criuMessage;
    }

    public CriuException(String message, Throwable cause) {
        super(message, cause);
        this.criuMessage = null;
    }
}
