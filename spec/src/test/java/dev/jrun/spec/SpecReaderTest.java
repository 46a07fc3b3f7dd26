package dev.jrun.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.Features;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.State;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecReaderTest {

    private static Spec read(String json) throws SpecException {
        return SpecReader.readConfig(json.getBytes(StandardCharsets.UTF_8), "config.json");
    }

    private static String problems(String json) {
        return assertThrows(SpecException.class, () -> read(json)).getMessage();
    }

    @Test
    void everyTypeProblemIsReportedWithItsPath() {
        String json = """
                {"ociVersion": "1.0.0",
                 "process": {"args": "sh", "user": {"uid": -1, "gid": 1.5, "umask": 99999999999},
                             "oomScoreAdj": 1e3, "terminal": "yes"},
                 "mounts": [{"destination": "/a"}, {"options": [1]}],
                 "annotations": {"a": 1},
                 "linux": {"namespaces": [{"type": "pid"}, {"type": 7}],
                           "resources": {"blockIO": {"weight": 70000}},
                           "seccomp": {"syscalls": [{"args": [{"value": -1}]}]}}}
                """;
        assertEquals(String.join("\n",
                "config.json: process.args: expected an array, got a string",
                "config.json: process.user.uid: expected an unsigned 32-bit integer, got -1",
                "config.json: process.user.gid: expected an unsigned 32-bit integer, got 1.5",
                "config.json: process.user.umask: expected an unsigned 32-bit integer, got 99999999999",
                "config.json: process.oomScoreAdj: expected an integer, got 1e3",
                "config.json: process.terminal: expected true or false, got a string",
                "config.json: mounts[1].options[0]: expected a string, got 1",
                "config.json: annotations[\"a\"]: expected a string, got 1",
                "config.json: linux.namespaces[1].type: expected a string, got 7",
                "config.json: linux.resources.blockIO.weight: expected an unsigned 16-bit integer, got 70000",
                "config.json: linux.seccomp.syscalls[0].args[0].value: expected an unsigned integer, got -1"),
                problems(json));
    }

    @Test
    void problemsAreAlsoAvailableOneByOne() {
        SpecException e = assertThrows(SpecException.class,
                () -> read("{\"ociVersion\": \"1.0.0\", \"hostname\": [], \"root\": 3}"));
        assertEquals(List.of(
                        new Problem("config.json", "hostname", "expected a string, got an array"),
                        new Problem("config.json", "root", "expected an object, got 3")),
                e.problems());
    }

    @Test
    void syntaxErrorNamesFileLineAndColumn() {
        assertEquals("config.json: line 3, column 10: unexpected character ('}' (code 125)): "
                        + "was expecting double-quote to start field name",
                problems("{\n  \"ociVersion\": \"1.0.0\",\n  \"x\": 1,}"));
    }

    @Test
    void truncatedFileNamesWhereItEnds() {
        assertEquals("config.json: line 2, column 25: unexpected end-of-input: expected close marker for Array",
                problems("{\"ociVersion\": \"1.0.0\",\n\"process\": {\"args\": [\"a\""));
    }

    @Test
    void syntaxErrorHidesEarlierTypeProblems() {
        assertEquals("config.json: line 1, column 17: unexpected end-of-input within/between Object entries",
                problems("{\"hostname\": 1, "));
    }

    @Test
    void documentMustBeAnObject() {
        assertEquals("config.json: empty document, expected a JSON object", problems(""));
        assertEquals("config.json: empty document, expected a JSON object", problems(" \n "));
        assertEquals("config.json: expected a JSON object, got null", problems("null"));
        assertEquals("config.json: expected an object, got an array", problems("[]"));
        assertEquals("config.json: expected an object, got a string", problems("\"x\""));
    }

    @Test
    void byteOrderMarkIsRefusedAsRuncDoes() {
        assertEquals("config.json: line 1, column 1: unexpected byte order mark (the file must be UTF-8 without a BOM)",
                problems("\uFEFF{\"ociVersion\": \"1.0.0\"}"));
    }

    @Test
    void ociVersionProblemsAreReportedOnce() {
        assertEquals("config.json: ociVersion: expected a string, got 1", problems("{\"ociVersion\": 1}"));
        assertEquals("config.json: ociVersion: must be set (this runtime supports 1.0.0 to 1.3.x)", problems("{}"));
        assertEquals("config.json: ociVersion: unsupported version \"2.0.0\" (this runtime supports 1.0.0 to 1.3.x)",
                problems("{\"ociVersion\": \"2.0.0\"}"));
    }

    @Test
    void missingConfigSaysSo(@TempDir Path bundle) {
        SpecException e = assertThrows(SpecException.class,
                () -> SpecReader.readConfig(bundle.resolve("config.json")));
        assertEquals("config.json: no such file in bundle " + bundle, e.getMessage());
    }

    @Test
    void readsConfigFromFile(@TempDir Path bundle) throws Exception {
        Path config = bundle.resolve("config.json");
        Files.write(config, Golden.bytes("runc-spec.json"));
        assertEquals("runc", SpecReader.readConfig(config).hostname());
        Files.writeString(config, "{\"ociVersion\": \"1.0.0\", \"hostname\": 1}");
        assertEquals("config.json: hostname: expected a string, got 1",
                assertThrows(SpecException.class, () -> SpecReader.readConfig(config)).getMessage());
    }

    @Test
    void unknownFieldsAndOtherPlatformsAreIgnored() throws Exception {
        Spec spec = read("""
                {"ociVersion": "1.2.0", "future": {"a": [1, {"b": null}]}, "windows": {"layerFolders": []},
                 "process": {"cwd": "/", "newThing": true}}""");
        assertEquals("/", spec.process().cwd());
    }

    @Test
    void keysMatchFieldsCaseInsensitivelyLikeGo() throws Exception {
        Spec lower = read("{\"ociVersion\": \"1.0.0\", \"process\": {\"args\": [\"sh\"], \"noNewPrivileges\": true}}");
        Spec mixed = read("{\"OCIVERSION\": \"1.0.0\", \"Process\": {\"ARGS\": [\"sh\"], \"nonewprivileges\": true}}");
        assertEquals(lower, mixed);
    }

    @Test
    void textAfterTheDocumentIsIgnoredLikeRuncsDecoder() throws Exception {
        assertEquals("h", read("{\"ociVersion\": \"1.0.0\", \"hostname\": \"h\"} trailing {[").hostname());
    }

    @Test
    void nullIsAbsentAndEmptyListsStayEmpty() throws Exception {
        Spec spec = read("{\"ociVersion\": \"1.0.0\", \"mounts\": [], \"hostname\": null,"
                + " \"process\": {\"terminal\": null, \"args\": null, \"env\": []}}");
        assertEquals(List.of(), spec.mounts());
        assertNull(spec.hostname());
        assertNull(spec.process().terminal());
        assertNull(spec.process().args());
        assertEquals(List.of(), spec.process().env());
        assertNull(spec.linux());
    }

    @Test
    void nullElementsBecomeGoZeroValues() throws Exception {
        Spec spec = read("{\"ociVersion\": \"1.0.0\", \"process\": {\"args\": [\"a\", null],"
                + " \"user\": {\"additionalGids\": [null]}}, \"annotations\": {\"k\": null}, \"mounts\": [null]}");
        assertEquals(List.of("a", ""), spec.process().args());
        assertEquals(List.of(0L), spec.process().user().additionalGids());
        assertEquals("", spec.annotations().get("k"));
        assertNull(spec.mounts().get(0).destination());
    }

    @Test
    void unsignedFieldsTakeTheWholeUint64Range() throws Exception {
        Spec spec = read("{\"ociVersion\": \"1.0.0\", \"process\": {\"rlimits\": [{\"type\": \"RLIMIT_CORE\","
                + " \"hard\": 18446744073709551615, \"soft\": 9223372036854775808}]}}");
        assertEquals(-1L, spec.process().rlimits().get(0).hard());
        assertEquals(Long.MIN_VALUE, spec.process().rlimits().get(0).soft());
        assertEquals("config.json: process.rlimits[0].hard: expected an unsigned integer, got 18446744073709551616",
                problems("{\"ociVersion\": \"1.0.0\", \"process\": {\"rlimits\": [{\"hard\": 18446744073709551616}]}}"));
        // Go's ParseUint refuses "-0".
        assertEquals("config.json: process.rlimits[0].soft: expected an unsigned integer, got -0",
                problems("{\"ociVersion\": \"1.0.0\", \"process\": {\"rlimits\": [{\"soft\": -0}]}}"));
    }

    @Test
    void signedFieldsTakeTheWholeInt64Range() throws Exception {
        Spec spec = read("{\"ociVersion\": \"1.0.0\", \"linux\": {\"resources\": {\"memory\":"
                + " {\"limit\": -9223372036854775808, \"swap\": 9223372036854775807}}}}");
        assertEquals(Long.MIN_VALUE, spec.linux().resources().memory().limit());
        assertEquals(Long.MAX_VALUE, spec.linux().resources().memory().swap());
        assertEquals("config.json: linux.resources.memory.limit: expected an integer, got 9223372036854775808",
                problems("{\"ociVersion\": \"1.0.0\", \"linux\": {\"resources\": {\"memory\": {\"limit\": 9223372036854775808}}}}"));
        assertEquals("config.json: linux.resources.memory.limit: expected an integer, got 1.0",
                problems("{\"ociVersion\": \"1.0.0\", \"linux\": {\"resources\": {\"memory\": {\"limit\": 1.0}}}}"));
    }

    @Test
    void invalidUtf8BecomesReplacementCharactersByteByByte() throws Exception {
        byte[] json = {'{', '"', 'o', 'c', 'i', 'V', 'e', 'r', 's', 'i', 'o', 'n', '"', ':', '"', '1', '.', '0', '.',
            '0', '"', ',', '"', 'h', 'o', 's', 't', 'n', 'a', 'm', 'e', '"', ':', '"', 'a', (byte) 0xE2, (byte) 0x82,
            'b', (byte) 0xFF, '"', '}'};
        assertEquals("a\uFFFD\uFFFDb\uFFFD", SpecReader.readConfig(json, "config.json").hostname());
    }

    @Test
    void escapedLoneSurrogatesBecomeReplacementCharacters() throws Exception {
        assertEquals("\uFFFDx\uD83D\uDE00",
                read("{\"ociVersion\": \"1.0.0\", \"hostname\": \"\\ud800x\\ud83d\\ude00\"}").hostname());
    }

    @Test
    void readsAStandaloneProcess(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.json");
        Files.writeString(file, "{\"terminal\": true, \"args\": [\"ls\"], \"cwd\": \"/\"}");
        Process p = SpecReader.readProcess(file);
        assertTrue(p.isTerminal());
        assertEquals(List.of("ls"), p.args());
        Files.writeString(file, "{\"args\": [1]}");
        assertEquals(file + ": args[0]: expected a string, got 1",
                assertThrows(SpecException.class, () -> SpecReader.readProcess(file)).getMessage());
        assertEquals(dir.resolve("none.json") + ": no such file or directory",
                assertThrows(SpecException.class, () -> SpecReader.readProcess(dir.resolve("none.json"))).getMessage());
    }

    @Test
    void readsStandaloneResources() throws Exception {
        LinuxResources r = SpecReader.readResources(
                "{\"memory\": {\"limit\": 1048576}, \"pids\": {\"limit\": -1}}".getBytes(StandardCharsets.UTF_8), "-");
        assertEquals(1048576L, r.memory().limit());
        assertEquals(-1L, r.pids().limit());
        assertEquals("-: cpu.shares: expected an unsigned integer, got a string",
                assertThrows(SpecException.class, () -> SpecReader.readResources(
                        "{\"cpu\": {\"shares\": \"1\"}}".getBytes(StandardCharsets.UTF_8), "-")).getMessage());
    }

    @Test
    void readsStateAndFeatures(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.json");
        Files.write(state, Golden.bytes("state-example.input.json"));
        State s = SpecReader.readState(state);
        assertEquals("oci-container1", s.id());
        assertEquals(4422L, s.pid());
        Path features = dir.resolve("features.json");
        Files.write(features, Golden.bytes("features-example.input.json"));
        Features f = SpecReader.readFeatures(features);
        assertEquals("1.1.0-rc.2", f.ociVersionMax());
        assertEquals(Boolean.TRUE, f.linux().seccomp().enabled());
    }
}
