package dev.jrun.spec.codegen;

import dev.jrun.spec.codegen.Shape.Field;
import dev.jrun.spec.codegen.Shape.Kind;
import dev.jrun.spec.codegen.Shape.Presence;
import dev.jrun.spec.codegen.Shape.Type;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the source of the generated classes: straight-line code, one method per record, as one
 * would write it by hand, so that reading config.json costs no more than it did when it was.
 * Go's rules themselves live in the hand-written JsonIn (reading) and GoFields (writing); this
 * only chooses which of their methods each field calls.
 */
final class CodecWriter {
    private static final String GENERATED = "@Generated(\"" + CodecProcessor.class.getName() + "\")\n";
    private static final String HEADER = "// Generated from the records of " + CodecProcessor.MODEL
            + " by " + CodecProcessor.class.getName() + ". Do not edit.\n";

    private final List<Shape> shapes;

    CodecWriter(List<Shape> shapes) {
        this.shapes = shapes;
    }

    // ---- decoder

    String decoder(String className) {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append("package ").append(CodecProcessor.CODEC).append(";\n\n");
        imports(sb, "java.io.IOException", "java.util.ArrayList", "java.util.LinkedHashMap", "java.util.List",
                "java.util.Map", "javax.annotation.processing.Generated");
        sb.append("""
                /**
                 * Reads each record of the model from a {@link JsonIn}. Each method reads the value under the
                 * cursor and returns {@code null} for JSON {@code null} or a value of the wrong type (which
                 * JsonIn reports with its path). Unknown fields are skipped: the spec requires runtimes to
                 * ignore them.
                 */
                """);
        sb.append(GENERATED).append("final class ").append(className).append(" {\n");
        sb.append("    /** Every JSON field name of the model, for matching keys the way Go does (see FieldNames). */\n");
        sb.append("    static final String[] FIELD_NAMES = {\n");
        for (String name : fieldNames()) {
            sb.append("        \"").append(name).append("\",\n");
        }
        sb.append("    };\n\n");
        sb.append("    private ").append(className).append("() {}\n");
        Map<String, Type> lists = new LinkedHashMap<>();
        Map<String, Type> maps = new LinkedHashMap<>();
        for (Shape s : shapes) {
            decode(sb, s);
            for (Field f : s.fields()) {
                if (f.kind() == Kind.RECORD_LIST) {
                    lists.put(f.record().javaName(), f.record());
                } else if (f.kind() == Kind.RECORD_MAP) {
                    maps.put(f.record().javaName(), f.record());
                }
            }
        }
        for (Type t : lists.values()) {
            sb.append("\n    static List<").append(t.javaName()).append("> ").append(t.method()).append("List(JsonIn in) throws IOException {\n");
            sb.append("        if (!in.beginArray()) {\n            return null;\n        }\n");
            sb.append("        List<").append(t.javaName()).append("> list = new ArrayList<>();\n");
            sb.append("        while (in.nextElement()) {\n");
            sb.append("            ").append(t.javaName()).append(" e = ").append(t.method()).append("(in);\n");
            sb.append("            list.add(e != null ? e : ").append(t.zero()).append(");\n");
            sb.append("        }\n        return list;\n    }\n");
        }
        for (Type t : maps.values()) {
            sb.append("\n    static Map<String, ").append(t.javaName()).append("> ").append(t.method()).append("Map(JsonIn in) throws IOException {\n");
            sb.append("        if (!in.beginMap()) {\n            return null;\n        }\n");
            sb.append("        Map<String, ").append(t.javaName()).append("> map = new LinkedHashMap<>();\n");
            sb.append("        for (String key; (key = in.nextKey()) != null; ) {\n");
            sb.append("            ").append(t.javaName()).append(" e = ").append(t.method()).append("(in);\n");
            sb.append("            map.put(key, e != null ? e : ").append(t.zero()).append(");\n");
            sb.append("        }\n        return map;\n    }\n");
        }
        return sb.append("}\n").toString();
    }

    private static void decode(StringBuilder sb, Shape s) {
        Type t = s.type();
        sb.append("\n    static ").append(t.javaName()).append(' ').append(t.method()).append("(JsonIn in) throws IOException {\n");
        sb.append("        if (!in.beginObject()) {\n            return null;\n        }\n");
        for (Field f : s.fields()) {
            sb.append("        ").append(f.javaType()).append(' ').append(f.component()).append(" = null;\n");
        }
        sb.append("        for (String field; (field = in.nextField()) != null; ) {\n");
        sb.append("            switch (field) {\n");
        for (Field f : s.fields()) {
            sb.append("                case \"").append(f.json()).append("\" -> ").append(f.component()).append(" = ");
            switch (f.kind()) {
                case SCALAR -> sb.append("in.").append(f.reader()).append("()");
                case RECORD -> sb.append(f.record().method()).append("(in)");
                case RECORD_LIST -> sb.append(f.record().method()).append("List(in)");
                case RECORD_MAP -> sb.append(f.record().method()).append("Map(in)");
            }
            sb.append(";\n");
        }
        sb.append("                default -> in.skipValue();\n            }\n        }\n");
        sb.append("        return new ").append(t.javaName()).append('(').append(components(s)).append(");\n    }\n");
    }

    /** The JSON names of all records, each once, in the order they are declared. */
    private Set<String> fieldNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Shape s : shapes) {
            for (Field f : s.fields()) {
                names.add(f.json());
            }
        }
        return names;
    }

    // ---- encoder

    String encoder(String className) {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append("package ").append(CodecProcessor.CODEC).append(";\n\n");
        imports(sb, "dev.jrun.spec.json.GoJson", "javax.annotation.processing.Generated");
        sb.append("""
                /**
                 * Writes each record of the model as Go's encoding/json writes runtime-spec's structs: fields
                 * in declaration order, each left out or written as its zero value by Go's rules (see
                 * GoFields and {@code @Go}).
                 */
                """);
        sb.append(GENERATED).append("final class ").append(className).append(" {\n");
        sb.append("    private ").append(className).append("() {}\n");
        for (Shape s : shapes) {
            encode(sb, s);
        }
        return sb.append("}\n").toString();
    }

    private static void encode(StringBuilder sb, Shape s) {
        Type t = s.type();
        sb.append("\n    static void ").append(t.method()).append("(GoJson out, ").append(t.javaName()).append(" v) {\n");
        sb.append("        out.beginObject();\n");
        for (Field f : s.fields()) {
            String value = "v." + f.component() + "()";
            String name = '"' + f.json() + '"';
            String write = f.kind() == Kind.SCALAR ? null : f.record().method();
            switch (f.kind()) {
                case SCALAR -> sb.append("        GoFields.").append(f.writer()).append("(out, ").append(name)
                        .append(", ").append(value).append(");\n");
                case RECORD -> {
                    if (f.presence() == Presence.VALUE) {
                        sb.append("        out.name(").append(name).append(");\n");
                        sb.append("        ").append(write).append("(out, ").append(value).append(" != null ? ")
                                .append(value).append(" : ").append(f.record().zero()).append(");\n");
                    } else {
                        sb.append("        if (").append(value).append(" != null) {\n");
                        sb.append("            out.name(").append(name).append(");\n");
                        sb.append("            ").append(write).append("(out, ").append(value).append(");\n");
                        sb.append("        }\n");
                    }
                }
                case RECORD_LIST -> {
                    sb.append("        if (GoFields.present(").append(value).append(")) {\n");
                    sb.append("            out.name(").append(name).append(").beginArray();\n");
                    sb.append("            for (").append(f.record().javaName()).append(" e : ").append(value).append(") {\n");
                    sb.append("                ").append(write).append("(out, e);\n");
                    sb.append("            }\n            out.endArray();\n        }\n");
                }
                case RECORD_MAP -> {
                    sb.append("        if (GoFields.present(").append(value).append(")) {\n");
                    sb.append("            out.name(").append(name).append(").beginObject();\n");
                    sb.append("            for (String key : GoJson.sortedKeys(").append(value).append(")) {\n");
                    sb.append("                out.name(key);\n");
                    sb.append("                ").append(write).append("(out, ").append(value).append(".get(key));\n");
                    sb.append("            }\n            out.endObject();\n        }\n");
                }
            }
        }
        sb.append("        out.endObject();\n    }\n");
    }

    // ---- names for validation messages

    String names(String packageName, String className) {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append("package ").append(packageName).append(";\n\n");
        sb.append("import javax.annotation.processing.Generated;\n\n");
        sb.append("""
                /**
                 * The JSON name of each component of each record, for the paths of validation messages:
                 * {@code Json.LinuxIOPriority.ioClass} is {@code "class"}. They are constants, so using them
                 * costs nothing at run time.
                 */
                """);
        sb.append(GENERATED).append("final class ").append(className).append(" {\n");
        sb.append("    private ").append(className).append("() {}\n");
        names(sb, "", "    ");
        return sb.append("}\n").toString();
    }

    /** The nested classes for the records named {@code outer.*}, one level down. */
    private void names(StringBuilder sb, String outer, String indent) {
        for (Shape s : shapes) {
            String javaName = s.type().javaName();
            String prefix = outer.isEmpty() ? "" : outer + ".";
            if (!javaName.startsWith(prefix) || javaName.indexOf('.', prefix.length()) >= 0) {
                continue;
            }
            String simple = javaName.substring(prefix.length());
            sb.append('\n').append(indent).append("static final class ").append(simple).append(" {\n");
            for (Field f : s.fields()) {
                sb.append(indent).append("    static final String ").append(f.component()).append(" = \"")
                        .append(f.json()).append("\";\n");
            }
            names(sb, javaName, indent + "    ");
            sb.append('\n').append(indent).append("    private ").append(simple).append("() {}\n");
            sb.append(indent).append("}\n");
        }
    }

    // ----

    private void imports(StringBuilder sb, String... others) {
        Set<String> imports = new TreeSet<>();
        for (Shape s : shapes) {
            imports.add(CodecProcessor.MODEL + "." + s.type().topLevel());
        }
        imports.addAll(List.of(others));
        for (String i : imports) {
            sb.append("import ").append(i).append(";\n");
        }
        sb.append('\n');
    }

    private static String components(Shape s) {
        StringBuilder sb = new StringBuilder();
        for (Field f : s.fields()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(f.component());
        }
        return sb.toString();
    }
}
