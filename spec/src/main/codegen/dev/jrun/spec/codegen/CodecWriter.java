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
 * would write it by hand, so that reading config.json costs what hand-written code cost. Go's
 * rules themselves live in the hand-written JsonIn (reading) and GoFields (writing); this only
 * picks the method of theirs that each field calls.
 *
 * <p>In the templates, {@code $T} is a record type, {@code $m} the base name of its methods,
 * {@code $n} a JSON name and {@code $v} a component's value.
 */
final class CodecWriter {
    private static final String HEADER = """
            // Generated from the records of %s by %s. Do not edit.
            package %s;

            """;
    private static final String GENERATED = "@Generated(\"" + CodecProcessor.class.getName() + "\")\n";

    private static final String READ_RECORD = """

                static $T $m(JsonIn in) throws IOException {
                    if (!in.beginObject()) {
                        return null;
                    }
            $locals        for (String field; (field = in.nextField()) != null; ) {
                        switch (field) {
            $cases                default -> in.skipValue();
                        }
                    }
                    return new $T($components);
                }
            """;
    private static final String READ_LIST = """

                static List<$T> $mList(JsonIn in) throws IOException {
                    if (!in.beginArray()) {
                        return null;
                    }
                    List<$T> list = new ArrayList<>();
                    while (in.nextElement()) {
                        $T e = $m(in);
                        list.add(e != null ? e : $zero);
                    }
                    return list;
                }
            """;
    private static final String READ_MAP = """

                static Map<String, $T> $mMap(JsonIn in) throws IOException {
                    if (!in.beginMap()) {
                        return null;
                    }
                    Map<String, $T> map = new LinkedHashMap<>();
                    for (String key; (key = in.nextKey()) != null; ) {
                        $T e = $m(in);
                        map.put(key, e != null ? e : $zero);
                    }
                    return map;
                }
            """;

    private static final String WRITE_RECORD = """

                static void $m(GoJson out, $T v) {
                    out.beginObject();
            $fields        out.endObject();
                }
            """;
    private static final String WRITE_SCALAR = """
                    GoFields.$writer(out, "$n", $v);
            """;
    private static final String WRITE_STRUCT_VALUE = """
                    out.name("$n");
                    $m(out, $v != null ? $v : $zero);
            """;
    private static final String WRITE_STRUCT_POINTER = """
                    if ($v != null) {
                        out.name("$n");
                        $m(out, $v);
                    }
            """;
    private static final String WRITE_LIST = """
                    if (GoFields.present($v)) {
                        out.name("$n").beginArray();
                        for ($T e : $v) {
                            $m(out, e);
                        }
                        out.endArray();
                    }
            """;
    private static final String WRITE_MAP = """
                    if (GoFields.present($v)) {
                        out.name("$n").beginObject();
                        for (String key : GoJson.sortedKeys($v)) {
                            out.name(key);
                            $m(out, $v.get(key));
                        }
                        out.endObject();
                    }
            """;

    private final List<Shape> shapes;

    CodecWriter(List<Shape> shapes) {
        this.shapes = shapes;
    }

    String decoder(String className) {
        StringBuilder sb = header(CodecProcessor.CODEC);
        imports(sb, "java.io.IOException", "java.util.ArrayList", "java.util.LinkedHashMap", "java.util.List",
                "java.util.Map", "javax.annotation.processing.Generated");
        sb.append("""
                /**
                 * Reads each record of the model from a {@link JsonIn}. Each method reads the value under the
                 * cursor and returns {@code null} for JSON {@code null} or a value of the wrong type (which
                 * JsonIn reports with its path). Unknown fields are skipped: the spec requires runtimes to
                 * ignore them. A {@code null} in a list or map is Go's zero value: a record of nulls.
                 */
                """);
        sb.append(GENERATED).append("final class ").append(className).append(" {\n");
        sb.append("    /** Every JSON field name of the model, to match keys the way Go does (see FieldNames). */\n");
        sb.append("    static final String[] FIELD_NAMES = {\n");
        for (String name : fieldNames()) {
            sb.append("        \"").append(name).append("\",\n");
        }
        sb.append("    };\n\n    private ").append(className).append("() {}\n");
        Map<String, Type> lists = new LinkedHashMap<>();
        Map<String, Type> maps = new LinkedHashMap<>();
        for (Shape s : shapes) {
            StringBuilder locals = new StringBuilder();
            StringBuilder cases = new StringBuilder();
            for (Field f : s.fields()) {
                locals.append("        ").append(f.javaType()).append(' ').append(f.component()).append(" = null;\n");
                cases.append("                case \"").append(f.json()).append("\" -> ").append(f.component())
                        .append(" = ").append(read(f)).append(";\n");
                if (f.kind() == Kind.RECORD_LIST) {
                    lists.put(f.record().javaName(), f.record());
                } else if (f.kind() == Kind.RECORD_MAP) {
                    maps.put(f.record().javaName(), f.record());
                }
            }
            sb.append(fill(READ_RECORD, s.type())
                    .replace("$locals", locals)
                    .replace("$cases", cases)
                    .replace("$components", components(s)));
        }
        for (Type t : lists.values()) {
            sb.append(fill(READ_LIST, t));
        }
        for (Type t : maps.values()) {
            sb.append(fill(READ_MAP, t));
        }
        return sb.append("}\n").toString();
    }

    private static String read(Field f) {
        return switch (f.kind()) {
            case SCALAR -> "in." + f.reader() + "()";
            case RECORD -> f.record().method() + "(in)";
            case RECORD_LIST -> f.record().method() + "List(in)";
            case RECORD_MAP -> f.record().method() + "Map(in)";
        };
    }

    String encoder(String className) {
        StringBuilder sb = header(CodecProcessor.CODEC);
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
            StringBuilder fields = new StringBuilder();
            for (Field f : s.fields()) {
                fields.append(write(f));
            }
            sb.append(fill(WRITE_RECORD, s.type()).replace("$fields", fields));
        }
        return sb.append("}\n").toString();
    }

    private static String write(Field f) {
        String template = switch (f.kind()) {
            case SCALAR -> WRITE_SCALAR.replace("$writer", f.writer());
            case RECORD -> f.presence() == Presence.VALUE ? WRITE_STRUCT_VALUE : WRITE_STRUCT_POINTER;
            case RECORD_LIST -> WRITE_LIST;
            case RECORD_MAP -> WRITE_MAP;
        };
        if (f.record() != null) {
            template = fill(template, f.record());
        }
        return template.replace("$n", f.json()).replace("$v", "v." + f.component() + "()");
    }

    String names(String packageName, String className) {
        StringBuilder sb = header(packageName);
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

    /** A nested class per record directly inside {@code outer} (the package when empty). */
    private void names(StringBuilder sb, String outer, String indent) {
        String prefix = outer.isEmpty() ? "" : outer + ".";
        for (Shape s : shapes) {
            String javaName = s.type().javaName();
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

    private static StringBuilder header(String packageName) {
        String header = String.format(HEADER, CodecProcessor.MODEL, CodecProcessor.class.getName(), packageName);
        return new StringBuilder(header);
    }

    private void imports(StringBuilder sb, String... others) {
        Set<String> imports = new TreeSet<>(List.of(others));
        for (Shape s : shapes) {
            imports.add(CodecProcessor.MODEL + "." + s.type().topLevel());
        }
        for (String i : imports) {
            sb.append("import ").append(i).append(";\n");
        }
        sb.append('\n');
    }

    private static String fill(String template, Type t) {
        return template.replace("$T", t.javaName()).replace("$m", t.method()).replace("$zero", t.zero());
    }

    private static String components(Shape s) {
        StringBuilder sb = new StringBuilder();
        for (Field f : s.fields()) {
            sb.append(sb.length() > 0 ? ", " : "").append(f.component());
        }
        return sb.toString();
    }
}
