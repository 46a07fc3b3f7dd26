package dev.jrun.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jrun.spec.json.JsonStyle;
import dev.jrun.spec.model.Features;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.State;
import dev.jrun.spec.validate.Validator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Property: whatever the bytes, reading either succeeds or throws {@link SpecException} with at
 * least one problem; nothing else escapes. What does decode must validate and encode without
 * failing, and encoding must be a fixed point (write, read back, write again: same bytes).
 * Inputs are mutations of real documents, generated from a fixed seed so failures reproduce.
 */
class MalformedInputTest {
    private static final int ROUNDS = 2500;

    @TempDir
    Path bundle;

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({
        "runc-spec.json, config, 1",
        "kitchen-sink.input.json, config, 2",
        "spec-example.input.json, config, 3",
        "process-example.input.json, process, 4",
        "resources-example.input.json, resources, 5",
        "state-example.input.json, state, 6",
        "features-example.input.json, features, 7",
    })
    void mutatedDocumentsNeverEscapeAsOtherExceptions(String seedFile, String kind, long seed) {
        Random random = new Random(seed);
        Object tree = JsonTree.parse(Golden.text(seedFile));
        String text = JsonTree.write(tree);
        int decoded = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = mutate(random, tree, text);
            try {
                decoded += check(kind, input) ? 1 : 0;
            } catch (RuntimeException | AssertionError e) {
                fail("round " + round + " of " + seedFile + " threw on input (hex) "
                        + HexFormat.of().formatHex(input) + "\n" + new String(input, StandardCharsets.UTF_8), e);
            }
        }
        // The mix of mutations must exercise both outcomes, or the property is vacuous.
        assertFalse(decoded == 0 || decoded == ROUNDS, "decoded " + decoded + " of " + ROUNDS);
    }

    @Test
    void randomBytesNeverEscape() {
        Random random = new Random(42);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = new byte[random.nextInt(64)];
            random.nextBytes(input);
            if (random.nextBoolean() && input.length > 0) {
                input[0] = '{';
            }
            try {
                check("config", input);
            } catch (RuntimeException | AssertionError e) {
                fail("random input " + HexFormat.of().formatHex(input), e);
            }
        }
    }

    @Test
    void absurdNestingAndNumbersAreProblemsToo() {
        String deep = "{\"ociVersion\": \"1.0.0\", \"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertProblem(deep);
        String longNumber = "{\"ociVersion\": \"1.0.0\", \"process\": {\"oomScoreAdj\": " + "9".repeat(5000) + "}}";
        assertProblem(longNumber);
    }

    private static void assertProblem(String json) {
        try {
            SpecReader.readConfig(json.getBytes(StandardCharsets.UTF_8), "config.json");
            fail("accepted");
        } catch (SpecException e) {
            assertEquals(1, e.problems().size(), e.getMessage());
        }
    }

    /** Reads, and when that works validates, writes and re-reads. True if it decoded. */
    private boolean check(String kind, byte[] input) {
        try {
            JsonStyle style = JsonStyle.values()[Math.floorMod(Arrays.hashCode(input), 4)];
            switch (kind) {
                case "config" -> {
                    Spec spec = SpecReader.readConfig(input, "config.json");
                    Validator.validate(spec, bundle);
                    byte[] once = SpecWriter.write(spec, style);
                    assertEquals(text(once), text(SpecWriter.write(SpecReader.readConfig(once, "c"), style)));
                }
                case "process" -> {
                    Process p = SpecReader.readProcess(input, "p.json");
                    Validator.validateProcess(p, "p.json");
                    byte[] once = SpecWriter.write(p, style);
                    assertEquals(text(once), text(SpecWriter.write(SpecReader.readProcess(once, "p"), style)));
                }
                case "resources" -> {
                    LinuxResources r = SpecReader.readResources(input, "r.json");
                    Validator.validateResources(r, "r.json");
                    byte[] once = SpecWriter.write(r, style);
                    assertEquals(text(once), text(SpecWriter.write(SpecReader.readResources(once, "r"), style)));
                }
                case "state" -> {
                    State s = SpecReader.readState(input, "s.json");
                    byte[] once = SpecWriter.write(s, style);
                    assertEquals(text(once), text(SpecWriter.write(SpecReader.readState(once, "s"), style)));
                }
                default -> {
                    Features f = SpecReader.readFeatures(input, "f.json");
                    byte[] once = SpecWriter.write(f, style);
                    assertEquals(text(once), text(SpecWriter.write(SpecReader.readFeatures(once, "f"), style)));
                }
            }
            return true;
        } catch (SpecException e) {
            assertFalse(e.problems().isEmpty());
            for (Problem p : e.problems()) {
                assertFalse(p.message().isEmpty());
            }
            return false;
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- mutations

    private static byte[] mutate(Random random, Object tree, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(8)) {
            case 0, 1, 2 -> {
                // A value of a random type at a random place: the most common kind of mistake.
                Object copy = JsonTree.parse(text);
                replaceRandomNode(random, copy, randomValue(random, 2));
                return JsonTree.write(copy).getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                return Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            case 4 -> {
                byte[] flipped = bytes.clone();
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
                }
                return flipped;
            }
            case 5 -> {
                int at = random.nextInt(bytes.length);
                String junk = List.of("}", "]", ",", ":", "\"", "null", "{\"a\":", "\\u", "1e999", "\u0000", "\uFEFF")
                        .get(random.nextInt(11));
                return (text.substring(0, Math.min(at, text.length())) + junk
                        + text.substring(Math.min(at, text.length()))).getBytes(StandardCharsets.UTF_8);
            }
            case 6 -> {
                Object copy = JsonTree.parse(text);
                removeRandomKey(random, copy);
                return JsonTree.write(copy).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                return bytes;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void replaceRandomNode(Random random, Object root, Object value) {
        List<Object> containers = new ArrayList<>();
        collectContainers(root, containers);
        Object target = containers.get(random.nextInt(containers.size()));
        if (target instanceof Map) {
            Map<String, Object> map = (Map<String, Object>) target;
            if (map.isEmpty()) {
                map.put("x", value);
            } else {
                List<String> keys = new ArrayList<>(map.keySet());
                map.put(keys.get(random.nextInt(keys.size())), value);
            }
        } else {
            List<Object> list = (List<Object>) target;
            if (list.isEmpty()) {
                list.add(value);
            } else {
                list.set(random.nextInt(list.size()), value);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void removeRandomKey(Random random, Object root) {
        List<Object> containers = new ArrayList<>();
        collectContainers(root, containers);
        Object target = containers.get(random.nextInt(containers.size()));
        if (target instanceof Map && !((Map<String, Object>) target).isEmpty()) {
            Map<String, Object> map = (Map<String, Object>) target;
            map.remove(new ArrayList<>(map.keySet()).get(random.nextInt(map.size())));
        }
    }

    @SuppressWarnings("unchecked")
    private static void collectContainers(Object node, List<Object> out) {
        if (node instanceof Map) {
            out.add(node);
            for (Object v : ((Map<String, Object>) node).values()) {
                collectContainers(v, out);
            }
        } else if (node instanceof List) {
            out.add(node);
            for (Object v : (List<Object>) node) {
                collectContainers(v, out);
            }
        }
    }

    private static Object randomValue(Random random, int depth) {
        switch (random.nextInt(depth > 0 ? 12 : 10)) {
            case 0:
                return JsonTree.NULL;
            case 1:
                return random.nextBoolean();
            case 2:
                return BigInteger.valueOf(random.nextInt(2000) - 1000);
            case 3:
                return BigInteger.valueOf(random.nextLong());
            case 4:
                // Just past and at the edges of the 64-bit ranges.
                return new BigInteger(List.of("18446744073709551615", "18446744073709551616", "-9223372036854775809",
                        "4294967296", "65536", "-0", "0").get(random.nextInt(7)));
            case 5:
                return new JsonTree.Raw(List.of("1.5", "1e3", "-0.0", "1E-7").get(random.nextInt(4)));
            case 6:
                return "";
            case 7:
                return List.of("/", "rootfs", "SCMP_ACT_ALLOW", "pid", "1.0.0", "\u2028<&>", "\uD800", "a\u0000b")
                        .get(random.nextInt(8));
            case 8:
                return new ArrayList<>();
            case 9:
                return new java.util.LinkedHashMap<String, Object>();
            case 10: {
                List<Object> list = new ArrayList<>();
                for (int i = 0, n = random.nextInt(3); i < n; i++) {
                    list.add(randomValue(random, depth - 1));
                }
                return list;
            }
            default: {
                Map<String, Object> map = new java.util.LinkedHashMap<>();
                for (int i = 0, n = random.nextInt(3); i < n; i++) {
                    map.put(List.of("type", "path", "args", "limit", "x").get(random.nextInt(5)),
                            randomValue(random, depth - 1));
                }
                return map;
            }
        }
    }
}
