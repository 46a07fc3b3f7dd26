package dev.jrun.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The case-folding table of field names must be complete and unambiguous. */
class FieldNamesTest {
    /** Fields whose keys are data (Go maps), not field names. */
    private static final Set<String> MAP_FIELDS =
            Set.of("annotations", "sysctl", "rdma", "unified", "netDevices", "timeOffsets");

    @Test
    void noTwoFieldNamesFoldTogether() {
        Map<String, String> seen = new HashMap<>();
        for (String name : FieldNames.all()) {
            String previous = seen.put(name.toLowerCase(Locale.ROOT), name);
            assertTrue(previous == null || previous.equals(name), name + " and " + previous);
        }
    }

    @Test
    void tableHasEveryFieldName() {
        Set<String> table = Set.of(FieldNames.all());
        Set<String> missing = new TreeSet<>();
        for (String golden : List.of("kitchen-sink.tabs.json", "features-example.4.json", "state-example.2.json")) {
            for (String key : fieldKeys(JsonTree.parse(Golden.text(golden)))) {
                if (!table.contains(key)) {
                    missing.add(key);
                }
            }
        }
        assertEquals(Set.of(), missing);
    }

    @Test
    void keysInAnyCaseDecodeTheSame() throws Exception {
        Object tree = JsonTree.parse(Golden.text("kitchen-sink.input.json"));
        byte[] shouted = JsonTree.write(recase(tree, true)).getBytes(StandardCharsets.UTF_8);
        byte[] whispered = JsonTree.write(recase(tree, false)).getBytes(StandardCharsets.UTF_8);
        var expected = SpecReader.readConfig(Golden.bytes("kitchen-sink.input.json"), "config.json");
        assertEquals(expected, SpecReader.readConfig(shouted, "config.json"));
        assertEquals(expected, SpecReader.readConfig(whispered, "config.json"));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> fieldKeys(Object node) {
        Set<String> keys = new TreeSet<>();
        if (node instanceof Map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) node).entrySet()) {
                keys.add(e.getKey());
                Object v = e.getValue();
                if (MAP_FIELDS.contains(e.getKey()) && v instanceof Map) {
                    for (Object inner : ((Map<String, Object>) v).values()) {
                        keys.addAll(fieldKeys(inner));
                    }
                } else {
                    keys.addAll(fieldKeys(v));
                }
            }
        } else if (node instanceof List) {
            for (Object o : (List<Object>) node) {
                keys.addAll(fieldKeys(o));
            }
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static Object recase(Object node, boolean upper) {
        if (node instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) node).entrySet()) {
                String k = e.getKey();
                boolean isMap = MAP_FIELDS.contains(k) && e.getValue() instanceof Map;
                Object v = isMap ? recaseValues((Map<String, Object>) e.getValue(), upper) : recase(e.getValue(), upper);
                out.put(upper ? k.toUpperCase(Locale.ROOT) : k.toLowerCase(Locale.ROOT), v);
            }
            return out;
        }
        if (node instanceof List) {
            return ((List<Object>) node).stream().map(o -> recase(o, upper)).toList();
        }
        return node;
    }

    private static Object recaseValues(Map<String, Object> map, boolean upper) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, recase(v, upper)));
        return out;
    }
}
