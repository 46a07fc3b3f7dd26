package dev.jrun.spec;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Go's encoding/json matches object keys to struct fields case-insensitively when there is no
 * exact match ({@code "Args"} fills {@code args}), and runc accepts such files. The decoders
 * switch on the exact JSON names, so keys are first folded onto the name they would match in Go.
 * No two field names of the documents differ only in case (the code generator refuses that), so
 * one table, generated from the model, serves every struct.
 */
final class FieldNames {
    private static final Map<String, String> BY_LOWER_CASE = new HashMap<>(ModelDecoder.FIELD_NAMES.length * 2);

    static {
        for (String name : ModelDecoder.FIELD_NAMES) {
            BY_LOWER_CASE.put(name.toLowerCase(Locale.ROOT), name);
        }
    }

    private FieldNames() {}

    /** The field name {@code key} would fill in Go, or {@code key} itself if it matches none. */
    static String canonical(String key) {
        String name = BY_LOWER_CASE.get(key.toLowerCase(Locale.ROOT));
        return name == null ? key : name;
    }

    /** Every name in the table, for tests. */
    static String[] all() {
        return ModelDecoder.FIELD_NAMES.clone();
    }
}
