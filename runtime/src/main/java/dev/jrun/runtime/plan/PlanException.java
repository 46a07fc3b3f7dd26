package dev.jrun.runtime.plan;

/** A config this host cannot carry out, found while compiling the plan. */
public final class PlanException extends Exception {
    private static final long serialVersionUID = 1L;

    public PlanException(String message) {
        super(message);
    }
}
