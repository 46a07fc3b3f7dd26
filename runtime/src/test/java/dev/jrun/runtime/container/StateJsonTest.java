package dev.jrun.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateJsonTest {
    static Map<String, Object> parse(String s) throws IOException {
        return StateJson.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsWhatStateStoreWrites() throws IOException {
        Map<String, Object> m = parse(" {\"id\":\"c\\\"1\\u00e9\\n\",\"pid\":-12,\"ok\":true,\"no\":false,\"x\":null,"
                + "\"m\":{\"k\":\"v\",\"\":\"/sys\"},\"e\":{}} ");
        assertEquals("c\"1é\n", m.get("id"));
        assertEquals(-12L, m.get("pid"));
        assertEquals(Boolean.TRUE, m.get("ok"));
        assertEquals(Boolean.FALSE, m.get("no"));
        assertEquals(null, m.get("x"));
        assertEquals(Map.of("k", "v", "", "/sys"), m.get("m"));
        assertEquals(Map.of(), m.get("e"));
    }

    @Test
    void refusesWhatItWasNotMadeFor() {
        for (String bad : List.of("", "{", "[]", "{\"a\":1.5}", "{\"a\":{\"b\":{}}}", "{\"a\":{\"b\":1}}", "{\"a\":\"x}",
                "{\"a\":tru}", "{\"a\":1} x", "{\"a\" 1}", "{\"a\":\"\\q\"}", "{\"a\":\"\\u12\"}")) {
            assertThrows(IOException.class, () -> parse(bad), bad);
        }
    }
}
