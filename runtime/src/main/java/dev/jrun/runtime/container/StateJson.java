package dev.jrun.runtime.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads state.json, the one document jrun writes for itself.  A purpose-built reader rather
 * than Jackson: `state`, `start` and `kill` read it on every call, and Jackson's start-up was
 * a seventh of `state`'s time.  It reads a JSON object of strings, numbers, booleans, nulls
 * and objects of strings — exactly what {@link StateStore} writes — and rejects anything else.
 */
final class StateJson {
    private final String text;
    private int pos;

    private StateJson(String text) {
        this.text = text;
    }

    /** The top-level object: values are String, Long, Boolean, null or Map&lt;String,String&gt;. */
    static Map<String, Object> parse(byte[] json) throws IOException {
        StateJson p = new StateJson(new String(json, StandardCharsets.UTF_8));
        Map<String, Object> top = new LinkedHashMap<>();
        p.expect('{');
        if (!p.peekIs('}')) {
            do {
                String key = p.string();
                p.expect(':');
                top.put(key, p.value(true));
            } while (p.comma());
        }
        p.expect('}');
        p.skipSpace();
        if (p.pos != p.text.length()) {
            throw p.error("trailing data");
        }
        return top;
    }

    private Object value(boolean objectsAllowed) throws IOException {
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '"':
                return string();
            case '{':
                if (!objectsAllowed) {
                    throw error("nested object");
                }
                Map<String, String> map = new LinkedHashMap<>();
                pos++;
                if (!peekIs('}')) {
                    do {
                        String key = string();
                        expect(':');
                        Object v = value(false);
                        if (!(v instanceof String)) {
                            throw error("map value must be a string");
                        }
                        map.put(key, (String) v);
                    } while (comma());
                }
                expect('}');
                return map;
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Object literal(String word, Object value) throws IOException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected character");
        }
        pos += word.length();
        return value;
    }

    private Long number() throws IOException {
        int start = pos;
        if (pos < text.length() && text.charAt(pos) == '-') {
            pos++;
        }
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        try {
            return Long.parseLong(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error("not an integer");
        }
    }

    private String string() throws IOException {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("short unicode escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("bad unicode escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape");
            }
        }
    }

    private boolean comma() {
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ',') {
            pos++;
            return true;
        }
        return false;
    }

    private boolean peekIs(char c) {
        skipSpace();
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) throws IOException {
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IOException error(String what) {
        return new IOException(what + " at offset " + pos);
    }
}
