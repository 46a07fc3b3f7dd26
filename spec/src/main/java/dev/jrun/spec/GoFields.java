package dev.jrun.spec;

import dev.jrun.spec.json.GoJson;
import java.util.List;
import java.util.Map;

/**
 * Go's rules for writing one struct field, on top of {@link GoJson}. The method names say what
 * the Go field is: a plain value ({@code string}, {@code number}...) is always written, as its
 * zero value when the model holds {@code null}; an {@code ...Omit} value (tag {@code omitempty})
 * is left out when it is the zero value; a {@code ...Ptr} (a Go pointer with {@code omitempty})
 * is left out only when {@code null}, so a present zero survives. Slices and maps without
 * omitempty are written as {@code null} when absent, as Go writes a nil slice.
 *
 * <p>The generated ModelEncoder calls, for each field, the method that its Go type and tag (the
 * record component and its {@code @Go}) select; the code generator refuses a field for which
 * there is none.
 */
final class GoFields {
    private GoFields() {}

    static void string(GoJson out, String name, String value) {
        out.name(name).value(value == null ? "" : value);
    }

    static void stringOmit(GoJson out, String name, String value) {
        if (value != null && !value.isEmpty()) {
            out.name(name).value(value);
        }
    }

    static void bool(GoJson out, String name, Boolean value) {
        out.name(name).value(Boolean.TRUE.equals(value));
    }

    static void boolOmit(GoJson out, String name, Boolean value) {
        if (Boolean.TRUE.equals(value)) {
            out.name(name).value(true);
        }
    }

    static void boolPtr(GoJson out, String name, Boolean value) {
        if (value != null) {
            out.name(name).value(value.booleanValue());
        }
    }

    static void number(GoJson out, String name, Number value) {
        out.name(name).value(value == null ? 0L : value.longValue());
    }

    static void numberOmit(GoJson out, String name, Number value) {
        if (value != null && value.longValue() != 0) {
            out.name(name).value(value.longValue());
        }
    }

    static void numberPtr(GoJson out, String name, Number value) {
        if (value != null) {
            out.name(name).value(value.longValue());
        }
    }

    static void unsigned(GoJson out, String name, Long value) {
        out.name(name).valueUnsigned(value == null ? 0L : value);
    }

    static void unsignedOmit(GoJson out, String name, Long value) {
        if (value != null && value != 0) {
            out.name(name).valueUnsigned(value);
        }
    }

    static void unsignedPtr(GoJson out, String name, Long value) {
        if (value != null) {
            out.name(name).valueUnsigned(value);
        }
    }

    static void strings(GoJson out, String name, List<String> value) {
        out.name(name).value(value);
    }

    static void stringsOmit(GoJson out, String name, List<String> value) {
        if (value != null && !value.isEmpty()) {
            out.name(name).value(value);
        }
    }

    /** A {@code []uint32} tagged omitempty. */
    static void numbersOmit(GoJson out, String name, List<Long> value) {
        if (present(value)) {
            out.name(name).beginArray();
            for (Long n : value) {
                out.value(n.longValue());
            }
            out.endArray();
        }
    }

    static void stringMapOmit(GoJson out, String name, Map<String, String> value) {
        if (value != null && !value.isEmpty()) {
            out.name(name).value(value);
        }
    }

    /** Whether Go would write a slice or map field tagged omitempty. */
    static boolean present(List<?> value) {
        return value != null && !value.isEmpty();
    }

    static boolean present(Map<?, ?> value) {
        return value != null && !value.isEmpty();
    }
}
