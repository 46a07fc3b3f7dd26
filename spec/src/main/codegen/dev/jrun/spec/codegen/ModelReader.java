package dev.jrun.spec.codegen;

import dev.jrun.spec.codegen.Shape.Field;
import dev.jrun.spec.codegen.Shape.Kind;
import dev.jrun.spec.codegen.Shape.Presence;
import dev.jrun.spec.codegen.Shape.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;

/**
 * Turns the records of the model package, with their {@code @Go} annotations, into {@link Shape}s,
 * refusing at compile time anything the generated code could not read or write the way Go does.
 */
final class ModelReader {
    static final String GO = CodecProcessor.MODEL + ".Go";

    /**
     * A Go integer type as the model holds it.
     *
     * @param javaType the boxed type of the component
     * @param reader the JsonIn method that checks its range
     * @param writer the GoFields methods that print it: {@code number} signed, {@code unsigned} as uint64
     */
    private record GoInteger(String javaType, String reader, String writer) {}

    /** Go's int and uint are 64-bit on every platform runc supports. */
    private static final Map<String, GoInteger> INTEGERS = Map.of(
            "int", new GoInteger("java.lang.Long", "int64", "number"),
            "int64", new GoInteger("java.lang.Long", "int64", "number"),
            "int32", new GoInteger("java.lang.Integer", "int32", "number"),
            "uint16", new GoInteger("java.lang.Integer", "uint16", "number"),
            "uint32", new GoInteger("java.lang.Long", "uint32", "number"),
            "uint", new GoInteger("java.lang.Long", "uint64", "unsigned"),
            "uint64", new GoInteger("java.lang.Long", "uint64", "unsigned"));

    /** Names the generated decoder gives its own variables; no component may take them. */
    private static final Set<String> RESERVED = Set.of("in", "field");

    private final Elements elements;
    private final Messager messager;
    private final Set<String> readers;
    private final Set<String> writers;
    private boolean failed;

    ModelReader(Elements elements, Messager messager) {
        this.elements = elements;
        this.messager = messager;
        this.readers = methods(CodecProcessor.CODEC + ".JsonIn");
        this.writers = methods(CodecProcessor.CODEC + ".GoFields");
    }

    boolean failed() {
        return failed;
    }

    /** Every record of the package, nested ones included, ordered by name. */
    List<Shape> read(PackageElement model) {
        List<TypeElement> records = new ArrayList<>();
        collect(model.getEnclosedElements(), records);
        records.sort(Comparator.comparing(ModelReader::javaName));
        List<Shape> shapes = new ArrayList<>();
        for (TypeElement record : records) {
            shapes.add(shape(record));
        }
        checkFolding(shapes);
        return shapes;
    }

    private static void collect(List<? extends Element> enclosed, List<TypeElement> out) {
        for (Element e : enclosed) {
            if (e.getKind() == ElementKind.RECORD) {
                out.add((TypeElement) e);
            }
            if (e.getKind().isClass() || e.getKind().isInterface()) {
                collect(e.getEnclosedElements(), out);
            }
        }
    }

    private Shape shape(TypeElement record) {
        List<Field> fields = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (RecordComponentElement c : record.getRecordComponents()) {
            Field f = field(c);
            if (f == null) {
                continue;
            }
            if (!names.add(f.json())) {
                error(c, "a second field named \"" + f.json() + "\"");
            }
            if (RESERVED.contains(f.component())) {
                error(c, "the generated decoder uses the name " + f.component()
                        + " for its own variable; rename the component");
            }
            fields.add(f);
        }
        return new Shape(type(record), List.copyOf(fields));
    }

    private Field field(RecordComponentElement c) {
        String component = c.getSimpleName().toString();
        String goType = "";
        String json = component;
        boolean omitempty = true;
        for (AnnotationMirror a : c.getAnnotationMirrors()) {
            if (!a.getAnnotationType().toString().equals(GO)) {
                continue;
            }
            for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                    : a.getElementValues().entrySet()) {
                Object value = e.getValue().getValue();
                switch (e.getKey().getSimpleName().toString()) {
                    case "value" -> goType = (String) value;
                    case "json" -> json = (String) value;
                    default -> omitempty = (Boolean) value;
                }
            }
        }
        boolean pointer = goType.startsWith("*");
        String base = pointer ? goType.substring(1) : goType;
        Presence presence = pointer ? Presence.POINTER : omitempty ? Presence.OMITEMPTY : Presence.VALUE;
        if (pointer && !omitempty) {
            return fail(c, "a pointer without omitempty (written as null) is not supported");
        }

        TypeMirror t = c.asType();
        String name = qualifiedName(t);
        List<? extends TypeMirror> args = t.getKind() == TypeKind.DECLARED
                ? ((DeclaredType) t).getTypeArguments() : List.of();
        switch (name) {
            case "java.lang.String":
                return scalar(c, json, "String", presence, base, "string", "string", "string");
            case "java.lang.Boolean":
                return scalar(c, json, "Boolean", presence, base, "bool", "bool", "bool");
            case "java.lang.Long":
            case "java.lang.Integer": {
                GoInteger integer = INTEGERS.get(base);
                if (base.isEmpty()) {
                    return fail(c, "needs @Go with its Go integer type, e.g. @Go(\"uint32\") or @Go(\"*int64\")");
                }
                if (integer == null) {
                    return fail(c, "unknown Go integer type " + base + " (expected one of "
                            + new TreeSet<>(INTEGERS.keySet()) + ")");
                }
                if (!integer.javaType().equals(name)) {
                    return fail(c, "a Go " + base + " is held in " + simple(integer.javaType())
                            + ", not " + simple(name));
                }
                return scalar(c, json, simple(name), presence, base, base, integer.reader(), integer.writer());
            }
            case "java.util.List": {
                String element = qualifiedName(args.get(0));
                if (element.equals("java.lang.String")) {
                    return scalar(c, json, "List<String>", presence, base, "[]string", "strings", "strings");
                }
                if (element.equals("java.lang.Long")) {
                    if (!base.equals("[]uint32")) {
                        return fail(c, "needs @Go(\"[]uint32\"), the only slice of integers the codec reads");
                    }
                    return scalar(c, json, "List<Long>", presence, base, "[]uint32", "uint32s", "numbers");
                }
                TypeElement record = modelRecord(args.get(0));
                if (record != null) {
                    return collection(c, json, Kind.RECORD_LIST, "List<%s>", presence, base, record);
                }
                break;
            }
            case "java.util.Map": {
                if (!qualifiedName(args.get(0)).equals("java.lang.String")) {
                    break;
                }
                if (qualifiedName(args.get(1)).equals("java.lang.String")) {
                    return scalar(c, json, "Map<String, String>", presence, base, "map[string]string",
                            "stringMap", "stringMap");
                }
                TypeElement record = modelRecord(args.get(1));
                if (record != null) {
                    return collection(c, json, Kind.RECORD_MAP, "Map<String, %s>", presence, base, record);
                }
                break;
            }
            default: {
                TypeElement record = modelRecord(t);
                if (record != null) {
                    if (!base.isEmpty()) {
                        return fail(c, "a struct takes no Go type: it is a pointer unless omitempty = false");
                    }
                    Type type = type(record);
                    return new Field(component, json, type.javaName(), Kind.RECORD, presence, null, null, type);
                }
            }
        }
        return fail(c, "the codec cannot represent " + t + " (it handles String, Boolean, Long, Integer, "
                + "the model's records, and lists and string-keyed maps of those)");
    }

    private Field scalar(RecordComponentElement c, String json, String javaType, Presence presence,
            String goType, String expected, String reader, String writerBase) {
        if (!goType.isEmpty() && !goType.equals(expected)) {
            return fail(c, javaType + " cannot hold the Go type " + goType);
        }
        String writer = writerBase + presence.suffix;
        if (!readers.contains(reader)) {
            return fail(c, "JsonIn has no method " + reader + " to read it");
        }
        if (!writers.contains(writer)) {
            return fail(c, "GoFields has no method " + writer + " to write it this way");
        }
        return new Field(c.getSimpleName().toString(), json, javaType, Kind.SCALAR, presence, reader, writer, null);
    }

    private Field collection(RecordComponentElement c, String json, Kind kind, String javaType,
            Presence presence, String goType, TypeElement element) {
        if (!goType.isEmpty() || presence != Presence.OMITEMPTY) {
            return fail(c, "slices and maps of structs are only written with omitempty");
        }
        Type type = type(element);
        return new Field(c.getSimpleName().toString(), json, String.format(javaType, type.javaName()), kind,
                presence, null, null, type);
    }

    /** Go matches keys case-insensitively: one folding table serves every struct if no two names fold together. */
    private void checkFolding(List<Shape> shapes) {
        Map<String, String> byLowerCase = new HashMap<>();
        for (Shape s : shapes) {
            for (Field f : s.fields()) {
                String other = byLowerCase.putIfAbsent(f.json().toLowerCase(Locale.ROOT), f.json());
                if (other != null && !other.equals(f.json())) {
                    messager.printMessage(Diagnostic.Kind.ERROR, "JSON names " + other + " and " + f.json()
                            + " differ only in case, which FieldNames cannot fold");
                    failed = true;
                }
            }
        }
    }

    private TypeElement modelRecord(TypeMirror t) {
        if (t.getKind() != TypeKind.DECLARED) {
            return null;
        }
        TypeElement e = (TypeElement) ((DeclaredType) t).asElement();
        boolean inModel = elements.getPackageOf(e).getQualifiedName().contentEquals(CodecProcessor.MODEL);
        return e.getKind() == ElementKind.RECORD && inModel ? e : null;
    }

    private static Type type(TypeElement record) {
        String javaName = javaName(record);
        return new Type(javaName, method(javaName.replace(".", "")), record.getRecordComponents().size());
    }

    /** The name relative to its package: {@code Features.Linux}. */
    private static String javaName(TypeElement t) {
        Element outer = t.getEnclosingElement();
        String simple = t.getSimpleName().toString();
        return outer instanceof TypeElement ? javaName((TypeElement) outer) + "." + simple : simple;
    }

    /** A type name as a method name: CPUAffinity → cpuAffinity, POSIXRlimit → posixRlimit. */
    static String method(String typeName) {
        int upper = 0;
        while (upper < typeName.length() && Character.isUpperCase(typeName.charAt(upper))) {
            upper++;
        }
        int lower = upper == typeName.length() || upper <= 1 ? upper : upper - 1;
        return typeName.substring(0, lower).toLowerCase(Locale.ROOT) + typeName.substring(lower);
    }

    private static String qualifiedName(TypeMirror t) {
        return t.getKind() == TypeKind.DECLARED
                ? ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().toString()
                : t.toString();
    }

    private static String simple(String qualifiedName) {
        return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    }

    private Set<String> methods(String className) {
        Set<String> names = new HashSet<>();
        TypeElement type = elements.getTypeElement(className);
        if (type == null) {
            messager.printMessage(Diagnostic.Kind.ERROR, "the generated code needs " + className);
            failed = true;
            return names;
        }
        for (Element e : type.getEnclosedElements()) {
            if (e.getKind() == ElementKind.METHOD) {
                names.add(e.getSimpleName().toString());
            }
        }
        return names;
    }

    private Field fail(RecordComponentElement c, String message) {
        error(c, message);
        return null;
    }

    /** javac cannot place a record component, so the message names it and points at its record. */
    private void error(RecordComponentElement c, String message) {
        Element record = c.getEnclosingElement();
        String name = javaName((TypeElement) record) + "." + c.getSimpleName();
        messager.printMessage(Diagnostic.Kind.ERROR, name + ": " + message, record);
        failed = true;
    }
}
