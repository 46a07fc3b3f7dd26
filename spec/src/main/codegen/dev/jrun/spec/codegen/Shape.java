package dev.jrun.spec.codegen;

import java.util.Collections;
import java.util.List;

/**
 * One record of the model as Go's encoding/json sees it: the struct's fields in order.
 *
 * @param type the record
 * @param fields its components, in declaration order (which is the order Go writes them)
 */
record Shape(Type type, List<Field> fields) {

    /**
     * How generated code names a record.
     *
     * @param javaName the name relative to the model package, e.g. {@code Features.Linux}
     * @param method the base name of the generated methods, e.g. {@code featuresLinux}
     * @param arity the number of components, to construct the zero value (all {@code null})
     */
    record Type(String javaName, String method, int arity) {

        /** {@code new T(null, null)}: Go's zero value of the struct. */
        String zero() {
            return "new " + javaName + "(" + String.join(", ", Collections.nCopies(arity, "null")) + ")";
        }

        String topLevel() {
            int dot = javaName.indexOf('.');
            return dot < 0 ? javaName : javaName.substring(0, dot);
        }
    }

    /** What a field holds, which decides how it is read and written. */
    enum Kind {
        /** Read with a JsonIn method and written with a GoFields one, both named in {@link Field}. */
        SCALAR,
        /** A struct. */
        RECORD,
        /** A slice of structs. */
        RECORD_LIST,
        /** A map from string to struct. */
        RECORD_MAP,
    }

    /** Go's three ways of writing a field. */
    enum Presence {
        /** No omitempty: always written, as the zero value when absent. */
        VALUE("", false),
        /** omitempty: left out when the zero value. */
        OMITEMPTY("Omit", true),
        /** A pointer with omitempty: left out only when absent, so a present zero is written. */
        POINTER("Ptr", true);

        /** The suffix of the GoFields method that writes a scalar this way. */
        final String suffix;
        final boolean omitempty;

        Presence(String suffix, boolean omitempty) {
            this.suffix = suffix;
            this.omitempty = omitempty;
        }
    }

    /**
     * One field.
     *
     * @param component the record component, hence the accessor and the decoder's local variable
     * @param json the JSON name
     * @param javaType the component's type as source text, e.g. {@code List<Mount>}
     * @param kind what it holds
     * @param presence when it is written
     * @param reader for a scalar, the JsonIn method that reads it ({@code uint32}, {@code strings})
     * @param writer for a scalar, the GoFields method that writes it ({@code numberPtr})
     * @param record for the record kinds, the record (or element) type; else {@code null}
     */
    record Field(
            String component,
            String json,
            String javaType,
            Kind kind,
            Presence presence,
            String reader,
            String writer,
            Type record) {}
}
