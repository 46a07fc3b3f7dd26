package dev.jrun.spec.validate;

import dev.jrun.spec.Problem;
import java.util.ArrayList;
import java.util.List;

/** What the rule classes found so far, all against one source file. */
final class Findings {
    private final String source;
    private final List<Problem> errors = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();

    Findings(String source) {
        this.source = source;
    }

    void error(String path, String message) {
        errors.add(new Problem(source, path, message));
    }

    void warn(String path, String message) {
        warnings.add(new Problem(source, path, message));
    }

    Report report() {
        return new Report(errors, warnings);
    }
}
