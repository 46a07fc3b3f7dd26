package dev.jrun.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cursor over a JSON document for the generated ModelDecoder: typed reads that, on a wrong type
 * or an out-of-range number, record a {@link Problem} at the current JSON path, skip the value
 * and return {@code null}, so decoding always runs to the end and reports everything.
 *
 * <p>The conversions follow Go's encoding/json, which is what runc decodes with: integers must be
 * integer literals (no {@code 1.0}, no {@code 1e3}) within the Go type's range; {@code null}
 * leaves a field unset; a {@code null} array element or map value becomes the zero value. Syntax
 * errors are thrown as Jackson's {@code JsonProcessingException}; the caller turns them into a
 * problem with line and column.
 *
 * <p>The JSON path is kept as a stack of segments and only rendered into a string when a problem
 * is recorded, so the error-free path allocates nothing for it.
 */
final class JsonIn {
    private static final JsonFactory FACTORY = new JsonFactory();

    private static final byte FIELD = 0;
    private static final byte INDEX = 1;
    private static final byte KEY = 2;

    private final JsonParser parser;
    private final String source;
    private final List<Problem> problems;

    private byte[] kinds = new byte[16];
    private String[] names = new String[16];
    private int[] indexes = new int[16];
    private int depth;

    private JsonIn(JsonParser parser, String source, List<Problem> problems) {
        this.parser = parser;
        this.source = source;
        this.problems = problems;
    }

    /**
     * Positions a cursor on the first token of {@code json}.
     *
     * @return {@code null} if the document is empty (recorded as a problem)
     */
    static JsonIn open(String json, String source, List<Problem> problems) throws IOException {
        JsonParser parser = FACTORY.createParser(json);
        JsonIn in = new JsonIn(parser, source, problems);
        if (parser.nextToken() == null) {
            problems.add(new Problem(source, null, "empty document, expected a JSON object"));
            return null;
        }
        return in;
    }

    boolean isNull() {
        return parser.currentToken() == JsonToken.VALUE_NULL;
    }

    // ---- objects, maps and arrays

    /** Enters an object. False (and nothing to read) for {@code null} or a value of another type. */
    boolean beginObject() throws IOException {
        return begin(JsonToken.START_OBJECT, FIELD, "an object");
    }

    /** Like {@link #beginObject()}, for an object whose keys are data (a Go map). */
    boolean beginMap() throws IOException {
        return begin(JsonToken.START_OBJECT, KEY, "an object");
    }

    boolean beginArray() throws IOException {
        return begin(JsonToken.START_ARRAY, INDEX, "an array");
    }

    /**
     * Moves to the next member of the current object and onto its value.
     *
     * @return the Go field name the key matches (see {@link FieldNames}), or {@code null} at the
     *     end of the object
     */
    String nextField() throws IOException {
        String key = nextKey();
        return key == null ? null : FieldNames.canonical(key);
    }

    /** Moves to the next entry of the current map and onto its value; {@code null} at the end. */
    String nextKey() throws IOException {
        if (parser.nextToken() == JsonToken.END_OBJECT) {
            depth--;
            return null;
        }
        String key = parser.currentName();
        names[depth - 1] = key;
        parser.nextToken();
        return key;
    }

    /** Moves to the next element of the current array; false at its end. */
    boolean nextElement() throws IOException {
        if (parser.nextToken() == JsonToken.END_ARRAY) {
            depth--;
            return false;
        }
        indexes[depth - 1]++;
        return true;
    }

    /** Skips the current value, whatever it is: an unknown field. */
    void skipValue() throws IOException {
        parser.skipChildren();
    }

    private boolean begin(JsonToken start, byte kind, String expected) throws IOException {
        JsonToken t = parser.currentToken();
        if (t == start) {
            push(kind);
            return true;
        }
        if (t != JsonToken.VALUE_NULL) {
            mismatch(expected);
        }
        return false;
    }

    private void push(byte kind) {
        if (depth == kinds.length) {
            kinds = Arrays.copyOf(kinds, depth * 2);
            names = Arrays.copyOf(names, depth * 2);
            indexes = Arrays.copyOf(indexes, depth * 2);
        }
        kinds[depth] = kind;
        names[depth] = null;
        indexes[depth] = -1;
        depth++;
    }

    // ---- scalars

    String string() throws IOException {
        JsonToken t = parser.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return withoutLoneSurrogates(parser.getText());
        }
        if (t != JsonToken.VALUE_NULL) {
            mismatch("a string");
        }
        return null;
    }

    Boolean bool() throws IOException {
        JsonToken t = parser.currentToken();
        if (t == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        if (t != JsonToken.VALUE_NULL) {
            mismatch("true or false");
        }
        return null;
    }

    /** Go {@code int64} and {@code int} (64-bit on every platform runc supports). */
    Long int64() throws IOException {
        return signed(Long.MIN_VALUE, Long.MAX_VALUE, "an integer");
    }

    Integer int32() throws IOException {
        Long v = signed(Integer.MIN_VALUE, Integer.MAX_VALUE, "a 32-bit integer");
        return v == null ? null : v.intValue();
    }

    Long uint32() throws IOException {
        return signed(0, 0xFFFF_FFFFL, "an unsigned 32-bit integer");
    }

    Integer uint16() throws IOException {
        Long v = signed(0, 0xFFFF, "an unsigned 16-bit integer");
        return v == null ? null : v.intValue();
    }

    /** Go {@code uint64} and {@code uint}: the full range, returned with unsigned semantics. */
    Long uint64() throws IOException {
        JsonToken t = parser.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT) {
            return notAnInteger(t, "an unsigned integer");
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            BigInteger big = parser.getBigIntegerValue();
            if (big.signum() >= 0 && big.bitLength() <= 64) {
                return big.longValue();
            }
        } else {
            long v = parser.getLongValue();
            if (v > 0 || (v == 0 && !parser.getText().startsWith("-"))) {
                return v;
            }
        }
        return mismatch("an unsigned integer");
    }

    private Long signed(long min, long max, String expected) throws IOException {
        JsonToken t = parser.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT) {
            return notAnInteger(t, expected);
        }
        if (parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long v = parser.getLongValue();
            // Go parses unsigned fields with ParseUint, which refuses "-0".
            boolean negativeZero = min == 0 && v == 0 && parser.getText().startsWith("-");
            if (v >= min && v <= max && !negativeZero) {
                return v;
            }
        }
        return mismatch(expected);
    }

    private Long notAnInteger(JsonToken t, String expected) throws IOException {
        if (t != JsonToken.VALUE_NULL) {
            mismatch(expected);
        }
        return null;
    }

    // ---- collections of scalars

    /** A {@code []string}; a {@code null} element becomes "" as in Go. */
    List<String> strings() throws IOException {
        if (!beginArray()) {
            return null;
        }
        List<String> list = new ArrayList<>();
        while (nextElement()) {
            String s = string();
            list.add(s == null ? "" : s);
        }
        return list;
    }

    /** A {@code []uint32}; a {@code null} element becomes 0 as in Go. */
    List<Long> uint32s() throws IOException {
        if (!beginArray()) {
            return null;
        }
        List<Long> list = new ArrayList<>();
        while (nextElement()) {
            Long v = uint32();
            list.add(v == null ? 0L : v);
        }
        return list;
    }

    /** A {@code map[string]string}; a {@code null} value becomes "" as in Go. */
    Map<String, String> stringMap() throws IOException {
        if (!beginMap()) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String key; (key = nextKey()) != null; ) {
            String s = string();
            map.put(key, s == null ? "" : s);
        }
        return map;
    }

    // ---- problems

    /** Records a problem about the value under the cursor. */
    void problem(String message) {
        problems.add(new Problem(source, path(), message));
    }

    private <T> T mismatch(String expected) throws IOException {
        problem("expected " + expected + ", got " + describeCurrent());
        parser.skipChildren();
        return null;
    }

    private String describeCurrent() throws IOException {
        JsonToken t = parser.currentToken();
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                String text = parser.getText();
                return text.length() > 40 ? text.substring(0, 40) + "..." : text;
            default:
                return parser.getText();
        }
    }

    /** The JSON path of the value under the cursor, e.g. {@code linux.namespaces[2].type}. */
    String path() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            switch (kinds[i]) {
                case INDEX:
                    if (indexes[i] >= 0) {
                        sb.append('[').append(indexes[i]).append(']');
                    }
                    break;
                case KEY:
                    if (names[i] != null) {
                        sb.append("[\"").append(names[i]).append("\"]");
                    }
                    break;
                default:
                    if (names[i] != null) {
                        if (sb.length() > 0) {
                            sb.append('.');
                        }
                        sb.append(names[i]);
                    }
            }
        }
        return sb.toString();
    }

    /**
     * Go decodes an escaped lone surrogate ({@code "\ud800"}) as U+FFFD; Jackson keeps it. Doing
     * what Go does keeps later re-encoding byte-identical to runc's.
     */
    private static String withoutLoneSurrogates(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return replaceLoneSurrogates(s, i);
            }
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s, int from) {
        StringBuilder sb = new StringBuilder(s.length()).append(s, 0, from);
        int n = s.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
