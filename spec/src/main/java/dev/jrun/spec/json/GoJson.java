package dev.jrun.spec.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A streaming JSON writer that reproduces Go's {@code encoding/json} byte for byte: Go's string
 * escaping (HTML-safe, U+2028/U+2029 escaped, broken UTF-16 written as {@code \ufffd}), map keys
 * in sorted order, and {@code MarshalIndent}'s layout (empty {@code {}} and {@code []} stay on one
 * line; {@code ": "} after keys).
 *
 * <p>Field order and {@code omitempty} are the caller's business: write fields in the order of the
 * Go struct, and skip the ones Go would omit. The writer does not check that calls are balanced;
 * a wrong sequence gives wrong JSON, not an exception.
 *
 * <pre>{@code
 * byte[] out = GoJson.create(JsonStyle.TWO_SPACES)
 *         .beginObject()
 *         .name("id").value(id)
 *         .name("pid").value(pid)
 *         .endObject()
 *         .toBytes();
 * }</pre>
 */
public final class GoJson {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    // A class rather than a method reference: lambdas cost a bootstrap on every fresh JVM.
    private static final Comparator<String> UTF8_ORDER =
            new Comparator<>() {
                @Override
                public int compare(String a, String b) {
                    return compareUtf8(a, b);
                }
            };

    private final byte[] prefix;
    private final byte[] indent;
    private byte[] buf = new byte[512];
    private int len;

    // One entry per open container: whether it has had an element yet. Go writes "{}" and "[]"
    // for empty ones, so the newline after an opening bracket is deferred until the first element.
    private boolean[] hasElement = new boolean[16];
    private int depth;
    private boolean afterName;

    private GoJson(String prefix, String indent) {
        this.prefix = prefix == null ? null : prefix.getBytes(StandardCharsets.UTF_8);
        this.indent = indent == null ? null : indent.getBytes(StandardCharsets.UTF_8);
    }

    /** A writer in one of runc's layouts. */
    public static GoJson create(JsonStyle style) {
        return style.indent() == null ? new GoJson(null, null) : new GoJson("", style.indent());
    }

    /** {@code json.MarshalIndent(v, prefix, indent)}: any prefix and indent unit. */
    public static GoJson indented(String prefix, String indent) {
        return new GoJson(prefix, indent);
    }

    public GoJson beginObject() {
        beforeValue();
        open((byte) '{');
        return this;
    }

    public GoJson endObject() {
        close((byte) '}');
        return this;
    }

    public GoJson beginArray() {
        beforeValue();
        open((byte) '[');
        return this;
    }

    public GoJson endArray() {
        close((byte) ']');
        return this;
    }

    /** Starts a member of the current object; the next call writes its value. */
    public GoJson name(String name) {
        beforeElement();
        quote(name);
        put((byte) ':');
        if (indent != null) {
            put((byte) ' ');
        }
        afterName = true;
        return this;
    }

    /** A string, or {@code null} as JSON {@code null} (a nil pointer in Go). */
    public GoJson value(String value) {
        if (value == null) {
            return nullValue();
        }
        beforeValue();
        quote(value);
        return this;
    }

    /** A signed integer (Go {@code int}, {@code int32}, {@code int64}, {@code uint32}...). */
    public GoJson value(long value) {
        beforeValue();
        ascii(Long.toString(value));
        return this;
    }

    /** A Go {@code uint64} or {@code uint}, held in a {@code long} with unsigned semantics. */
    public GoJson valueUnsigned(long value) {
        beforeValue();
        ascii(Long.toUnsignedString(value));
        return this;
    }

    public GoJson value(boolean value) {
        beforeValue();
        ascii(value ? "true" : "false");
        return this;
    }

    public GoJson nullValue() {
        beforeValue();
        ascii("null");
        return this;
    }

    /** A {@code []string}; {@code null} is written as JSON {@code null}, as Go writes a nil slice. */
    public GoJson value(List<String> strings) {
        if (strings == null) {
            return nullValue();
        }
        beginArray();
        for (String s : strings) {
            value(s);
        }
        return endArray();
    }

    /**
     * A {@code map[string]string}: keys sorted the way Go sorts them (by UTF-8 bytes); {@code null}
     * is written as JSON {@code null}.
     */
    public GoJson value(Map<String, String> map) {
        if (map == null) {
            return nullValue();
        }
        beginObject();
        for (String key : sortedKeys(map)) {
            name(key).value(map.get(key));
        }
        return endObject();
    }

    /** The keys of a map in Go's order, for writing maps whose values are objects. */
    public static List<String> sortedKeys(Map<String, ?> map) {
        List<String> keys = new ArrayList<>(map.keySet());
        keys.sort(UTF8_ORDER);
        return keys;
    }

    /** The document so far, as UTF-8. */
    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    /**
     * Go sorts map keys as byte strings, which for UTF-8 is code point order. Java's {@link
     * String#compareTo} compares UTF-16 units, which disagrees for characters above U+FFFF against
     * U+E000..U+FFFF.
     */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private void open(byte bracket) {
        put(bracket);
        if (depth == hasElement.length) {
            hasElement = Arrays.copyOf(hasElement, depth * 2);
        }
        hasElement[depth++] = false;
    }

    private void close(byte bracket) {
        depth--;
        if (hasElement[depth]) {
            newline(depth);
        }
        put(bracket);
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
        } else if (depth > 0) {
            beforeElement();
        }
    }

    private void beforeElement() {
        if (hasElement[depth - 1]) {
            put((byte) ',');
        }
        hasElement[depth - 1] = true;
        newline(depth);
    }

    private void newline(int level) {
        if (indent == null) {
            return;
        }
        put((byte) '\n');
        put(prefix);
        for (int i = 0; i < level; i++) {
            put(indent);
        }
    }

    private void quote(String s) {
        put((byte) '"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                asciiChar(c);
            } else if (c < 0x800) {
                put((byte) (0xC0 | (c >> 6)));
                put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                put((byte) (0xF0 | (cp >> 18)));
                put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                put((byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate is the Java form of a Go string holding invalid UTF-8.
                escape(0xFFFD);
            } else if (c == '\u2028' || c == '\u2029') {
                // Go escapes these because JavaScript treats them as line ends.
                escape(c);
            } else {
                put((byte) (0xE0 | (c >> 12)));
                put((byte) (0x80 | ((c >> 6) & 0x3F)));
                put((byte) (0x80 | (c & 0x3F)));
            }
        }
        put((byte) '"');
    }

    private void asciiChar(char c) {
        switch (c) {
            case '"', '\\' -> {
                put((byte) '\\');
                put((byte) c);
            }
            // Since Go 1.22, \b and \f get their short forms like \n, \r and \t.
            case '\b' -> shortEscape('b');
            case '\f' -> shortEscape('f');
            case '\n' -> shortEscape('n');
            case '\r' -> shortEscape('r');
            case '\t' -> shortEscape('t');
            // Go's encoder is HTML-safe by default, and runc never turns that off.
            case '<', '>', '&' -> escape(c);
            default -> {
                if (c < 0x20) {
                    escape(c);
                } else {
                    put((byte) c);
                }
            }
        }
    }

    private void shortEscape(char letter) {
        put((byte) '\\');
        put((byte) letter);
    }

    private void escape(int c) {
        put((byte) '\\');
        put((byte) 'u');
        put(HEX[(c >> 12) & 0xF]);
        put(HEX[(c >> 8) & 0xF]);
        put(HEX[(c >> 4) & 0xF]);
        put(HEX[c & 0xF]);
    }

    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            put((byte) s.charAt(i));
        }
    }

    private void put(byte[] bytes) {
        for (byte b : bytes) {
            put(b);
        }
    }

    private void put(byte b) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, len * 2);
        }
        buf[len++] = b;
    }
}
