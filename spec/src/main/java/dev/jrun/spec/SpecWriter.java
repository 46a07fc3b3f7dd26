package dev.jrun.spec;

import dev.jrun.spec.json.GoJson;
import dev.jrun.spec.json.JsonStyle;
import dev.jrun.spec.model.ContainerProcessState;
import dev.jrun.spec.model.Features;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.State;

/**
 * Writes runtime-spec documents exactly as runc's Go code would marshal the same values: the
 * field order of specs-go's structs, Go's {@code omitempty} rules, Go's escaping and layout.
 * Output has no final newline (see {@link JsonStyle}).
 *
 * <p>Go semantics apply to the model's {@code null}s: an absent field whose Go type is a plain
 * value is written as its zero value ({@code "cwd": ""}), and an {@code omitempty} field equal to
 * its zero value is left out even if the document being re-written had it. So decode-then-write
 * gives what runc would give, which is not always the input text.
 *
 * <p>The {@code (value, GoJson)} forms write into a larger document under construction.
 */
public final class SpecWriter {
    private SpecWriter() {}

    public static byte[] write(Spec spec, JsonStyle style) {
        GoJson out = GoJson.create(style);
        write(spec, out);
        return out.toBytes();
    }

    public static void write(Spec spec, GoJson out) {
        ModelEncoder.spec(out, spec);
    }

    public static byte[] write(Process process, JsonStyle style) {
        GoJson out = GoJson.create(style);
        write(process, out);
        return out.toBytes();
    }

    public static void write(Process process, GoJson out) {
        ModelEncoder.process(out, process);
    }

    public static byte[] write(LinuxResources resources, JsonStyle style) {
        GoJson out = GoJson.create(style);
        write(resources, out);
        return out.toBytes();
    }

    public static void write(LinuxResources resources, GoJson out) {
        ModelEncoder.linuxResources(out, resources);
    }

    public static byte[] write(State state, JsonStyle style) {
        GoJson out = GoJson.create(style);
        write(state, out);
        return out.toBytes();
    }

    public static void write(State state, GoJson out) {
        ModelEncoder.state(out, state);
    }

    public static byte[] write(Features features, JsonStyle style) {
        GoJson out = GoJson.create(style);
        write(features, out);
        return out.toBytes();
    }

    public static void write(Features features, GoJson out) {
        ModelEncoder.features(out, features);
    }

    public static byte[] write(ContainerProcessState state, JsonStyle style) {
        GoJson out = GoJson.create(style);
        write(state, out);
        return out.toBytes();
    }

    public static void write(ContainerProcessState state, GoJson out) {
        ModelEncoder.containerProcessState(out, state);
    }
}
