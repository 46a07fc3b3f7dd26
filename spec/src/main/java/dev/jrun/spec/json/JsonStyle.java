package dev.jrun.spec.json;

/**
 * The layouts runc produces. Go's {@code json.MarshalIndent(v, "", indent)} for the indented ones,
 * {@code json.Marshal} for {@link #COMPACT}.
 *
 * <p>Neither adds a final newline; {@code json.Encoder.Encode} (used by {@code runc features})
 * does, so its callers append {@code '\n'} themselves.
 */
public enum JsonStyle {
    /** No whitespace at all. */
    COMPACT(null),
    /** One tab per level: {@code runc spec}. */
    TABS("\t"),
    /** Two spaces per level: {@code runc state}. */
    TWO_SPACES("  "),
    /** Four spaces per level: {@code runc features}. */
    FOUR_SPACES("    ");

    private final String indent;

    JsonStyle(String indent) {
        this.indent = indent;
    }

    /** The indent unit, or {@code null} for {@link #COMPACT}. */
    public String indent() {
        return indent;
    }
}
