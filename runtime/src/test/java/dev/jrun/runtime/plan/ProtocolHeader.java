package dev.jrun.runtime.plan;

import dev.jrun.runtime.process.Wire;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;

/**
 * Writes runtime/src/main/c/protocol.h from the Java side's single definition of the protocol:
 * the message types and sync tags of {@link Wire}, the constants of {@link Resolve} and
 * {@link ProcGuard}, and each {@link Op} with its {@link Step} record's arguments (their
 * positions by name, and their kinds, which jrun-init checks when it parses a plan).
 */
final class ProtocolHeader {
    private ProtocolHeader() {
    }

    /** The record of an op: its name in CamelCase, e.g. MOUNT_FS is Step.MountFs. */
    static Class<?> recordOf(Op op) {
        for (Class<?> c : Step.class.getPermittedSubclasses()) {
            if (constantName(c.getSimpleName()).equals(op.name())) {
                return c;
            }
        }
        throw new IllegalStateException("no Step record for " + op);
    }

    /** The constant an op is named by, from its record's name: MountFs is MOUNT_FS. */
    static String constantName(String simpleName) {
        return simpleName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** 'i' for integers and booleans, 's' for strings and bytes, 'v' for string lists. */
    static char kind(Class<?> type) {
        if (type == long.class || type == int.class || type == boolean.class) {
            return 'i';
        }
        if (type == String.class || type == byte[].class) {
            return 's';
        }
        if (type == List.class) {
            return 'v';
        }
        throw new IllegalStateException("no wire kind for " + type);
    }

    static String generate() throws IllegalAccessException {
        StringBuilder h = new StringBuilder();
        h.append("/*\n")
                .append(" * The protocol between the Java runtime and jrun-init.  GENERATED from dev.jrun.runtime.process.Wire\n")
                .append(" * and dev.jrun.runtime.plan.{Op,Step,Resolve,ProcGuard} by PlanProtocolTest: do not edit; after a\n")
                .append(" * change on the Java side run\n")
                .append(" *   mvn test -pl runtime -am -Dtest=PlanProtocolTest -Djrun.updateGolden=true -Dsurefire.failIfNoSpecifiedTests=false\n")
                .append(" * Framing and payloads are described in Wire's documentation.\n")
                .append(" */\n")
                .append("#ifndef JRUN_PROTOCOL_H\n#define JRUN_PROTOCOL_H\n\n");
        constants(h, Wire.class, "");
        constants(h, Resolve.class, "RES_");
        constants(h, ProcGuard.class, "PROC_");
        h.append("/* operations */\n");
        for (Op op : Op.values()) {
            h.append("#define OP_").append(op.name()).append(' ').append(op.code()).append('\n');
        }
        h.append("#define OP_LAST ").append(Op.values().length).append("\n\n");
        h.append("/* each operation's arguments: 'i' integer, 's' string or bytes, 'v' list of strings */\n");
        h.append("static const char *const op_signature[OP_LAST + 1] = {\n");
        for (Op op : Op.values()) {
            StringBuilder sig = new StringBuilder();
            for (RecordComponent c : recordOf(op).getRecordComponents()) {
                sig.append(kind(c.getType()));
            }
            h.append("\t[OP_").append(op.name()).append("] = \"").append(sig).append("\",\n");
        }
        h.append("};\n\n");
        h.append("/* argument positions, by name */\n");
        for (Op op : Op.values()) {
            RecordComponent[] components = recordOf(op).getRecordComponents();
            if (components.length == 0) {
                continue;
            }
            h.append("enum {");
            for (int i = 0; i < components.length; i++) {
                h.append(i == 0 ? " " : ", ").append(op.name()).append('_').append(components[i].getName());
            }
            h.append(" };\n");
        }
        h.append("\n#endif\n");
        return h.toString();
    }

    private static void constants(StringBuilder h, Class<?> from, String prefix) throws IllegalAccessException {
        h.append("/* ").append(from.getSimpleName()).append(" */\n");
        for (Field f : from.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isFinal(m) && (f.getType() == int.class || f.getType() == long.class)) {
                h.append("#define ").append(prefix).append(f.getName()).append(' ').append(f.get(null)).append('\n');
            }
        }
        h.append('\n');
    }
}
