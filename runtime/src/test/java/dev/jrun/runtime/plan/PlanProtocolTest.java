package dev.jrun.runtime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Java and C sides of the executor protocol come from one definition and stay in step. */
class PlanProtocolTest {
    static Path header() {
        Path header = Path.of(System.getProperty("jrun.repo", "..")).resolve("runtime/src/main/c/protocol.h");
        return Files.exists(header) ? header : Path.of("src/main/c/protocol.h");
    }

    @Test
    void theCHeaderIsGeneratedFromTheJavaDefinition() throws Exception {
        String generated = ProtocolHeader.generate();
        if (Boolean.getBoolean("jrun.updateGolden")) {
            Files.writeString(header(), generated);
        }
        assertEquals(generated, Files.readString(header()),
                "protocol.h is stale: regenerate it (see its first lines) and rebuild jrun-init");
    }

    @Test
    void everyOpHasExactlyOneRecord() {
        Set<Class<?>> records = new HashSet<>();
        for (Op op : Op.values()) {
            assertTrue(records.add(ProtocolHeader.recordOf(op)), op + " shares a record");
        }
        assertEquals(Step.class.getPermittedSubclasses().length, records.size(), "every record has an op");
    }

    /** What encode() writes, kind by kind, must be the record's components in order. */
    @Test
    void eachRecordEncodesItsComponentsInOrder() throws Exception {
        for (Op op : Op.values()) {
            Class<?> type = ProtocolHeader.recordOf(op);
            RecordComponent[] components = type.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = sample(types[i], i);
            }
            Step step = (Step) type.getDeclaredConstructor(types).newInstance(values);
            assertEquals(op, step.op(), type.getSimpleName());
            List<Object> written = new ArrayList<>();
            step.encode(new Step.Args() {
                public Step.Args i(long value) {
                    written.add(value);
                    return this;
                }

                public Step.Args s(String value) {
                    written.add(value);
                    return this;
                }

                public Step.Args bytes(byte[] value) {
                    written.add(value);
                    return this;
                }

                public Step.Args v(List<String> value) {
                    written.add(value);
                    return this;
                }
            });
            assertEquals(components.length, written.size(), op + ": argument count");
            for (int i = 0; i < components.length; i++) {
                Object expected = types[i] == boolean.class ? (Boolean) values[i] ? 1L : 0L
                        : types[i] == int.class ? (long) (int) values[i] : values[i];
                assertEquals(expected, written.get(i), op + " argument " + i + " (" + components[i].getName() + ")");
            }
        }
    }

    /** Distinct values per position, so a swapped pair of arguments is caught. */
    private static Object sample(Class<?> type, int i) {
        if (type == long.class) {
            return 1000L + i;
        }
        if (type == int.class) {
            return 1000 + i;
        }
        if (type == boolean.class) {
            return i % 2 == 0;
        }
        if (type == String.class) {
            return "arg" + i;
        }
        if (type == byte[].class) {
            return new byte[] {(byte) i};
        }
        return List.of("item" + i);
    }

    @Test
    void theEncodingCarriesEachKind() {
        InitPlan plan = new InitPlan(List.of(new InitPlan.Entry(new Step.Symlink("t", "p"), "link"),
                new InitPlan.Entry(new Step.Exec(List.of("a"), List.of()), "exec")));
        byte[] b = plan.encode();
        // magic, count 2, SYMLINK: op, argc 2, 's' len 1 "t", 's' len 1 "p"
        assertEquals(Op.SYMLINK.code(), b[8] & 0xff);
        assertEquals(2, b[10]);
        assertEquals('s', b[12]);
        assertEquals(1, b[13]);
        assertEquals('t', b[17]);
    }

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
