package dev.jrun.spec;

import java.util.List;

/** A document could not be read; carries every problem found, not only the first. */
public final class SpecException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public SpecException(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public SpecException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(p);
        }
        return sb.toString();
    }
}
