package dev.jrun.spec.model;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a component is in runtime-spec's Go struct where its Java type leaves that open. The
 * records of this package are the only description of the documents: the JSON decoder, the
 * encoder and the names in validation messages are generated from them at build time (see
 * dev.jrun.spec.codegen), so a field added here is read, written and named everywhere at once.
 *
 * <p>Without this annotation a component is what most specs-go fields are: tagged {@code
 * omitempty}; a string, bool, slice or map by value; a struct by pointer.
 *
 * <p>Kept in class files so that a compiler building only some files (as IDEs do) still gives the
 * generator the whole description; the JVM never loads it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.RECORD_COMPONENT)
public @interface Go {
    /**
     * The Go type, spelled as in specs-go: required for integers, whose width and sign Java does
     * not carry ({@code "uint32"}, {@code "int"}), for pointers to scalars ({@code "*int64"},
     * {@code "*bool"}) and for slices of integers ({@code "[]uint32"}).
     */
    String value() default "";

    /** The JSON name, where it cannot be the component's name (a Java keyword). */
    String json() default "";

    /**
     * False for the fields whose tag lacks {@code omitempty}: Go writes them even when zero, and
     * a struct value rather than a pointer (such as {@code process.user}) is written as zeros.
     */
    boolean omitempty() default true;
}
