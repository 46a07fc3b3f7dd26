package dev.jrun.spec.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expected strings are what Go's encoding/json (1.22 and later) produces. */
class GoJsonTest {

    private static String compact(String s) {
        return GoJson.create(JsonStyle.COMPACT).value(s).toString();
    }

    @Test
    void escapesLikeGo() {
        assertEquals("\"\\u003cscript\\u003e \\u0026amp;\"", compact("<script> &amp;"));
        assertEquals("\"\\\" \\\\ /\"", compact("\" \\ /"));
        assertEquals("\"\\b\\f\\n\\r\\t\"", compact("\b\f\n\r\t"));
        assertEquals("\"\\u0000\\u0001\\u001f\u007f\"", compact("\u0000\u0001\u001f\u007f"));
        assertEquals("\"\\u2028\\u2029\"", compact("\u2028\u2029"));
        assertEquals("\"é€😀\"", compact("é€😀"));
    }

    @Test
    void writesBrokenUtf16AsTheReplacementEscape() {
        // A Java string with a lone surrogate is what a Go string with invalid UTF-8 is to Go.
        assertEquals("\"a\\ufffdb\\ufffd\"", compact("a\uD800b\uDC00"));
    }

    @Test
    void writesUtf8Bytes() {
        byte[] bytes = GoJson.create(JsonStyle.COMPACT).value("é").toBytes();
        assertEquals("\"é\"", new String(bytes, StandardCharsets.UTF_8));
        assertEquals(4, bytes.length);
    }

    @Test
    void writesNumbers() {
        GoJson out = GoJson.create(JsonStyle.COMPACT).beginArray()
                .value(Long.MIN_VALUE).valueUnsigned(-1L).valueUnsigned(0).value(true).value(false).nullValue()
                .endArray();
        assertEquals("[-9223372036854775808,18446744073709551615,0,true,false,null]", out.toString());
    }

    @Test
    void sortsMapKeysByUtf8BytesLikeGo() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String k : List.of("b", "\uD83D\uDE00", "\uFFFF", "é", "a", "B", "")) {
            map.put(k, "");
        }
        // U+1F600 sorts after U+FFFF in UTF-8, though its UTF-16 form (D83D) sorts before it.
        assertEquals("{\"\":\"\",\"B\":\"\",\"a\":\"\",\"b\":\"\",\"é\":\"\",\"\uFFFF\":\"\",\"\uD83D\uDE00\":\"\"}",
                GoJson.create(JsonStyle.COMPACT).value(map).toString());
    }

    @Test
    void indentsLikeMarshalIndent() {
        String expected = String.join("\n",
                "{",
                ">  \"a\": [",
                ">    1,",
                ">    2",
                ">  ],",
                ">  \"b\": {},",
                ">  \"c\": [],",
                ">  \"d\": null",
                ">}");
        GoJson out = GoJson.indented(">", "  ").beginObject()
                .name("a").beginArray().value(1).value(2).endArray()
                .name("b").beginObject().endObject()
                .name("c").beginArray().endArray()
                .name("d").nullValue()
                .endObject();
        assertEquals(expected, out.toString());
    }

    @Test
    void emptyIndentStillBreaksLines() {
        GoJson out = GoJson.indented("", "").beginObject().name("a").value(List.of("x")).endObject();
        assertEquals("{\n\"a\": [\n\"x\"\n]\n}", out.toString());
    }

    @Test
    void compactHasNoWhitespace() {
        GoJson out = GoJson.create(JsonStyle.COMPACT).beginObject()
                .name("a").value(List.of("x", "y")).name("m").value(Map.of()).name("n").value((List<String>) null)
                .endObject();
        assertEquals("{\"a\":[\"x\",\"y\"],\"m\":{},\"n\":null}", out.toString());
    }

    /** The document the runtime builds for {@code state}, in runc's layout. */
    @Test
    void buildsRuncsStateDocument() {
        GoJson out = GoJson.create(JsonStyle.TWO_SPACES).beginObject()
                .name("ociVersion").value("1.3.0")
                .name("id").value("c1")
                .name("pid").value(4242)
                .name("status").value("running")
                .name("bundle").value("/run/b")
                .name("rootfs").value("/run/b/rootfs")
                .name("created").value("2024-05-01T10:00:00.123456789Z")
                .name("owner").value("")
                .endObject();
        assertEquals("""
                {
                  "ociVersion": "1.3.0",
                  "id": "c1",
                  "pid": 4242,
                  "status": "running",
                  "bundle": "/run/b",
                  "rootfs": "/run/b/rootfs",
                  "created": "2024-05-01T10:00:00.123456789Z",
                  "owner": ""
                }""", out.toString());
    }

    @Test
    void deepNestingGrowsTheStack() {
        GoJson out = GoJson.create(JsonStyle.COMPACT);
        for (int i = 0; i < 100; i++) {
            out.beginArray();
        }
        for (int i = 0; i < 100; i++) {
            out.endArray();
        }
        assertEquals("[".repeat(100) + "]".repeat(100), out.toString());
    }
}
