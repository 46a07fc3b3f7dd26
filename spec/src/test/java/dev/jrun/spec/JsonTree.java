package dev.jrun.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: JSON as plain Java values (LinkedHashMap, ArrayList, String, BigInteger,
 * BigDecimal as String, Boolean, {@link #NULL}), so tests can patch documents and fuzz them.
 */
public final class JsonTree {
    /** JSON null inside a tree (maps and lists here do not hold Java null). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {}

    public static Object parse(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            p.nextToken();
            return value(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String key = p.currentName();
                    p.nextToken();
                    map.put(key, value(p));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT:
                return new Raw(p.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return NULL;
        }
    }

    /** A number literal kept as text (floats). */
    public record Raw(String text) {}

    /**
     * RFC 7386 merge patch: objects merge key by key, {@code null} removes a key, anything else
     * replaces.
     */
    @SuppressWarnings("unchecked")
    public static Object merge(Object target, Object patch) {
        if (!(patch instanceof Map)) {
            return patch;
        }
        Map<String, Object> result = target instanceof Map
                ? new LinkedHashMap<>((Map<String, Object>) target)
                : new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) patch).entrySet()) {
            if (e.getValue() == NULL) {
                result.remove(e.getKey());
            } else {
                result.put(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    /** Serialises compactly, in insertion order (not Go's sorted order). */
    public static String write(Object tree) {
        StringBuilder sb = new StringBuilder();
        write(tree, sb);
        return sb.toString();
    }

    public static byte[] bytes(Object tree) {
        return write(tree).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static void write(Object v, StringBuilder sb) {
        if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(e.getKey(), sb);
                sb.append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object o : (List<Object>) v) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(o, sb);
            }
            sb.append(']');
        } else if (v instanceof String s) {
            quote(s, sb);
        } else if (v instanceof BigInteger || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Raw r) {
            sb.append(r.text());
        } else {
            sb.append("null");
        }
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
