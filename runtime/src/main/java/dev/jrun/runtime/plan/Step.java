package dev.jrun.runtime.plan;

import java.util.List;

/**
 * One primitive operation with its arguments (each a Long, a String, a byte[] or a
 * List&lt;String&gt;), and the sentence that names it in an error message.
 */
public record Step(Op op, List<Object> args, String description) {
    public Step {
        args = List.copyOf(args);
    }

    public static Step of(Op op, String description, Object... args) {
        return new Step(op, List.of(args), description);
    }
}
