package dev.jrun.spec.validate;

import dev.jrun.spec.Problem;
import java.util.List;

/**
 * The outcome of a validation. Errors refuse the config; warnings are for the log (the spec asks
 * runtimes to warn, not fail, e.g. for unknown capabilities).
 */
public record Report(List<Problem> errors, List<Problem> warnings) {

    public Report {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The errors, one per line, for an error message. */
    public String errorText() {
        StringBuilder sb = new StringBuilder();
        for (Problem p : errors) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(p);
        }
        return sb.toString();
    }
}
