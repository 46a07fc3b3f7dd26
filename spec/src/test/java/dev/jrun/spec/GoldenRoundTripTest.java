package dev.jrun.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrun.spec.json.JsonStyle;
import dev.jrun.spec.model.Features;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.State;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decode-then-encode must give exactly what runc gives for the same input: each expected file is
 * the output of Go's json.Decoder + json.MarshalIndent (or Marshal) over runtime-spec v1.3.0's Go
 * types. Re-reading an expected file must reproduce it too (the encoding is a fixed point).
 */
class GoldenRoundTripTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // Every field of config.json, with zero values, empty lists, nulls, odd strings and the
        // extremes of each integer type.
        "kitchen-sink.input.json, kitchen-sink.tabs.json, TABS",
        "kitchen-sink.input.json, kitchen-sink.2.json, TWO_SPACES",
        "kitchen-sink.input.json, kitchen-sink.4.json, FOUR_SPACES",
        "kitchen-sink.input.json, kitchen-sink.compact.json, COMPACT",
        // The full example of config.md.
        "spec-example.input.json, spec-example.tabs.json, TABS",
        // Invalid UTF-8, escaped lone surrogates, keys in other cases, nulls in lists and maps,
        // and text after the document, all of which runc accepts.
        "edge.input.json, edge.tabs.json, TABS",
    })
    void configMatchesGo(String input, String expected, JsonStyle style) throws Exception {
        Spec spec = SpecReader.readConfig(Golden.bytes(input), "config.json");
        assertSame(expected, SpecWriter.write(spec, style));
        Spec again = SpecReader.readConfig(Golden.bytes(expected), "config.json");
        assertSame(expected, SpecWriter.write(again, style));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "runc-spec.json",
        "runc-spec-cgroupns.json",
        "runc-spec-rootless.json",
        "runc-spec-rootless-cgroupns.json",
    })
    void runcDefaultsAreFixedPoints(String golden) throws Exception {
        Spec spec = SpecReader.readConfig(Golden.bytes(golden), "config.json");
        assertSame(golden, SpecWriter.write(spec, JsonStyle.TABS));
    }

    @ParameterizedTest
    @CsvSource({"process-example.input.json, process-example.tabs.json"})
    void processMatchesGo(String input, String expected) throws Exception {
        Process p = SpecReader.readProcess(Golden.bytes(input), "process.json");
        assertSame(expected, SpecWriter.write(p, JsonStyle.TABS));
        assertSame(expected, SpecWriter.write(SpecReader.readProcess(Golden.bytes(expected), "p"), JsonStyle.TABS));
    }

    @ParameterizedTest
    @CsvSource({"resources-example.input.json, resources-example.tabs.json"})
    void resourcesMatchGo(String input, String expected) throws Exception {
        LinuxResources r = SpecReader.readResources(Golden.bytes(input), "resources.json");
        assertSame(expected, SpecWriter.write(r, JsonStyle.TABS));
    }

    /** runtime.md's example state, in runc state's two-space layout. */
    @ParameterizedTest
    @CsvSource({"state-example.input.json, state-example.2.json"})
    void stateMatchesGo(String input, String expected) throws Exception {
        State s = SpecReader.readState(Golden.bytes(input), "state.json");
        assertSame(expected, SpecWriter.write(s, JsonStyle.TWO_SPACES));
    }

    /** features.md's full example, in runc features' four-space layout. */
    @ParameterizedTest
    @CsvSource({"features-example.input.json, features-example.4.json"})
    void featuresMatchGo(String input, String expected) throws Exception {
        Features f = SpecReader.readFeatures(Golden.bytes(input), "features.json");
        assertSame(expected, SpecWriter.write(f, JsonStyle.FOUR_SPACES));
        assertSame(expected, SpecWriter.write(SpecReader.readFeatures(Golden.bytes(expected), "f"), JsonStyle.FOUR_SPACES));
    }

    private static void assertSame(String golden, byte[] actual) {
        // Compared as text for a readable diff; the bytes are then checked too.
        assertEquals(Golden.text(golden), new String(actual, StandardCharsets.UTF_8), golden);
        assertEquals(new String(Golden.bytes(golden), StandardCharsets.ISO_8859_1),
                new String(actual, StandardCharsets.ISO_8859_1), golden + " (bytes)");
    }
}
