package dev.jrun.runtime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.process.Wire;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Java and C sides of the executor protocol must agree number for number. */
class PlanProtocolTest {
    private static Map<String, Integer> defines() throws IOException {
        Path header = Path.of(System.getProperty("jrun.repo", "..")).resolve("runtime/src/main/c/protocol.h");
        if (!Files.exists(header)) {
            header = Path.of("src/main/c/protocol.h");
        }
        Map<String, Integer> defs = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#define\\s+(\\w+)\\s+(\\d+)").matcher(Files.readString(header));
        while (m.find()) {
            defs.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return defs;
    }

    @Test
    void everyOpHasTheSameNumberInC() throws IOException {
        Map<String, Integer> defs = defines();
        for (Op op : Op.values()) {
            assertEquals(defs.get("OP_" + op.name()), op.code, "OP_" + op.name());
        }
        long cOps = defs.keySet().stream().filter(k -> k.startsWith("OP_")).count();
        assertEquals(Op.values().length, cOps, "protocol.h and Op list the same operations");
    }

    @Test
    void messageTypesAndTagsMatch() throws IOException, IllegalAccessException {
        Map<String, Integer> defs = defines();
        int checked = 0;
        for (Field f : Wire.class.getFields()) {
            assertEquals(defs.get(f.getName()), f.getInt(null), f.getName());
            checked++;
        }
        assertTrue(checked >= 12);
    }
}
