package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line parsing and error reporting, without root and without running containers. */
class MainTest {
    @TempDir
    Path tmp;

    record Result(int status, String out, String err) {
        /**
         * The messages of stderr's logrus lines (time="..." level=... msg=...), one per line:
         * without --log, jrun reports as runc does.
         */
        String message() {
            StringBuilder sb = new StringBuilder();
            for (String line : err.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                assertTrue(line.matches("time=\"[^\"]+\" level=\\w+ msg=.*"), "a logrus line: " + line);
                String msg = line.substring(line.indexOf(" msg=") + 5);
                sb.append(msg.startsWith("\"") ? unquote(msg) : msg).append('\n');
            }
            return sb.toString();
        }

        private static String unquote(String q) {
            return q.substring(1, q.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
    }

    static Result jrun(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionNamesJrunCommitAndSpec() {
        Result r = jrun("--version");
        assertEquals(0, r.status());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("jrun version "), r.out());
        assertTrue(lines[1].startsWith("commit: "), r.out());
        assertEquals("spec: 1.3.0", lines[2]);
        assertEquals(r.out(), jrun("-v").out());
    }

    @Test
    void globalFlagsTakeEveryForm() {
        for (List<String> form : List.of(
                List.of("--root", tmp.toString(), "state", "x"),
                List.of("--root=" + tmp, "state", "x"),
                List.of("-root", tmp.toString(), "state", "x"),
                List.of("-root=" + tmp, "state", "x"))) {
            Result r = jrun(form.toArray(new String[0]));
            assertEquals(1, r.status(), form.toString());
            assertEquals("container \"x\" does not exist\n", r.message(), form.toString());
        }
    }

    @Test
    void singleDashLongFlagsStopAtTheContainersCommand() {
        assertEquals(List.of("--root", "/r", "create", "--bundle", "b", "c1"),
                List.of(Main.LongFlags.normalize(new String[] {"-root", "/r", "create", "-bundle", "b", "c1"})));
        assertEquals(List.of("exec", "--cwd", "/tmp", "c1", "ps", "-user", "-root"),
                List.of(Main.LongFlags.normalize(new String[] {"exec", "-cwd", "/tmp", "c1", "ps", "-user", "-root"})));
        assertEquals(List.of("--log=/l", "kill", "c1", "-all"),
                List.of(Main.LongFlags.normalize(new String[] {"-log=/l", "kill", "c1", "-all"})));
    }

    @Test
    void errorsGoToTheLogAsJsonLines() throws Exception {
        Path log = tmp.resolve("log.json");
        Result r = jrun("--root", tmp.toString(), "--log", log.toString(), "--log-format", "json", "state", "gone");
        assertEquals(1, r.status());
        assertEquals("container \"gone\" does not exist\n", r.err());
        List<String> lines = Files.readAllLines(log);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).matches(
                "\\{\"level\":\"error\",\"msg\":\"container \\\\\"gone\\\\\" does not exist\",\"time\":\"[0-9T:-]+Z\"}"),
                lines.get(0));
    }

    @Test
    void textLogIsLogrusShaped() throws Exception {
        Path log = tmp.resolve("log.txt");
        jrun("--root=" + tmp, "--log=" + log, "kill", "gone", "KILL");
        String line = Files.readString(log);
        assertTrue(line.matches("time=\"[0-9T:-]+Z\" level=error msg=\"container \\\\\"gone\\\\\" does not exist\"\n"), line);
    }

    @Test
    void debugGoesToTheLogOnlyWhenAsked() throws Exception {
        Path log = tmp.resolve("debug.json");
        jrun("--root", tmp.toString(), "--log", log.toString(), "--log-format", "json", "list");
        assertTrue(!Files.exists(log) || Files.readString(log).isEmpty());
        jrun("--debug", "--root", tmp.toString(), "--log", log.toString(), "--log-format", "json", "list");
        assertTrue(Files.readString(log).startsWith("{\"level\":\"debug\",\"msg\":\"jrun --debug --root "),
                Files.readString(log));
    }

    @Test
    void badLogFormatIsRefused() {
        Result r = jrun("--log-format", "xml", "list");
        assertEquals(1, r.status());
        assertTrue(r.message().contains("invalid log format \"xml\""), r.err());
    }

    @Test
    void unknownSubcommandAndFlagFail() {
        Result unknown = jrun("frobnicate");
        assertEquals(3, unknown.status(), "urfave/cli's status for a help topic it does not know, as runc");
        assertEquals("No help topic for 'frobnicate'\n", unknown.message());
        Result r = jrun("--root", tmp.toString(), "delete", "--bogus", "x");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("--bogus"), r.err());
    }

    /** Flags runc 1.3 takes and ignores are taken, so a caller's command line never fails on them. */
    @Test
    void runcsIgnoredFlagsAreTaken() {
        Result update = jrun("--root", tmp.toString(), "update", "--kernel-memory", "1M", "--kernel-memory-tcp", "1M", "nope");
        assertEquals("container \"nope\" does not exist\n", update.message());
        Result run = jrun("--root", tmp.toString(), "run", "--no-subreaper", "--bundle", tmp.resolve("none").toString(), "x");
        assertFalse(run.err().contains("no-subreaper"), run.err());
    }

    @Test
    void deleteForceOfAnUnknownIdSucceeds() {
        assertEquals(0, jrun("--root", tmp.toString(), "delete", "--force", "nope").status());
        assertEquals(0, jrun("--root", tmp.toString(), "delete", "-f", "nope").status());
        Result r = jrun("--root", tmp.toString(), "delete", "nope");
        assertEquals(1, r.status());
        assertEquals("container \"nope\" does not exist\n", r.message());
    }

    @Test
    void invalidIdIsRefused() {
        Result r = jrun("--root", tmp.toString(), "state", "../etc");
        assertEquals(1, r.status());
        assertTrue(r.message().startsWith("invalid container id \"../etc\""), r.err());
    }

    @Test
    void listOfAnEmptyRoot() {
        Result table = jrun("--root", tmp.toString(), "list");
        assertEquals("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n", table.out());
        assertEquals("null\n", jrun("--root", tmp.toString(), "list", "--format", "json").out());
        assertEquals("null\n", jrun("--root", tmp.toString(), "list", "-f=json").out());
        assertEquals("", jrun("--root", tmp.toString(), "list", "-q").out());
        assertEquals(1, jrun("--root", tmp.toString(), "list", "--format", "yaml").status());
    }

    @Test
    void specWritesRuncsDefaultAndRefusesToOverwrite() throws Exception {
        Result r = jrun("spec", "--bundle", tmp.toString());
        assertEquals(0, r.status(), r.err());
        String config = Files.readString(tmp.resolve("config.json"));
        assertTrue(config.startsWith("{\n\t\"ociVersion\": \"1.3.0\",\n"), config);
        Result again = jrun("spec", "-b", tmp.toString());
        assertEquals(1, again.status());
        assertEquals("File " + tmp.resolve("config.json") + " exists. Remove it first\n", again.message());
        Path rootless = tmp.resolve("rl");
        Files.createDirectory(rootless);
        assertEquals(0, jrun("spec", "--rootless", "--bundle=" + rootless).status());
        assertTrue(Files.readString(rootless.resolve("config.json")).contains("\"uidMappings\""));
    }

    @Test
    void validateReportsEveryProblem() throws Exception {
        Files.writeString(tmp.resolve("config.json"), "{\"ociVersion\":\"1.3.0\",\"process\":{\"args\":[],\"cwd\":\"rel\"},"
                + "\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\"}]}}");
        Result r = jrun("validate", "--bundle", tmp.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().contains("config.json: process.args: must not be empty"), r.out());
        assertTrue(r.out().contains("config.json: process.cwd:"), r.out());
        assertTrue(r.out().contains("config.json: root.path:"), r.out());
        assertTrue(r.out().contains("config.json: linux.namespaces[1].type:"), r.out());
    }

    @Test
    void validateAcceptsTheDefaultSpec() throws Exception {
        jrun("spec", "--bundle", tmp.toString());
        Files.createDirectory(tmp.resolve("rootfs"));
        Result r = jrun("validate", "--bundle", tmp.toString());
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().endsWith(": valid\n"), r.out());
    }

    @Test
    void validateNamesMalformedJsonPosition() throws Exception {
        Files.writeString(tmp.resolve("config.json"), "{\n  \"ociVersion\": \"1.3.0\",\n  }\n");
        Result r = jrun("validate", "--bundle", tmp.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().startsWith("config.json: line 3, column"), r.out());
    }

    @Test
    void validateOfAMissingConfigSaysSo() {
        Result r = jrun("validate", "--bundle", tmp.toString());
        assertEquals(1, r.status());
        assertEquals("config.json: no such file in bundle " + tmp + "\n", r.out());
    }

    @Test
    void featuresListsOnlyWhatIsImplemented() {
        Result r = jrun("features");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("{\n    \"ociVersionMin\": \"1.0.0\",\n    \"ociVersionMax\": \"1.3.0\","), r.out());
        assertTrue(r.out().contains("\"rbind\""));
        assertTrue(r.out().contains("\"tmpcopyup\""), "tmpcopyup is implemented");
    }

    /** What containerd reads to allow Kubernetes pods with hostUsers: false. */
    @Test
    void featuresOfferIdMappedMountsAsContainerdNeedsThem() throws Exception {
        Result r = jrun("features");
        assertEquals(0, r.status());
        Map<String, Object> f = dev.jrun.testbundles.Json.parseObject(r.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> linux = (Map<String, Object>) f.get("linux");
        List<?> options = (List<?>) f.get("mountOptions");
        assertEquals(dev.jrun.spec.linux.MountOptions.all(), options, "every option of the one table");
        assertTrue(options.containsAll(List.of("idmap", "ridmap", "rro")), options.toString());
        assertTrue(((List<?>) linux.get("namespaces")).contains("user"), linux.toString());
        assertEquals(Map.of("idmap", Map.of("enabled", true)), linux.get("mountExtensions"), r.out());
    }

    @Test
    void killRejectsUnknownSignals() {
        Result r = jrun("--root", tmp.toString(), "kill", "x", "SIGBOGUS");
        assertEquals(1, r.status());
        assertEquals("unknown signal \"SIGBOGUS\"\n", r.message());
    }

    @Test
    void systemdCgroupIsRefusedClearlyWithoutSystemd() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isDirectory(Path.of("/run/systemd/system")));
        Result r = jrun("--systemd-cgroup", "--root", tmp.toString(), "create", "--bundle", tmp.toString(), "x");
        assertEquals(1, r.status());
        assertTrue(r.message().startsWith("--systemd-cgroup: systemd is not running on this host"), r.err());
    }

    @Test
    void errorsOnStderrAreLogrusLinesWithoutLogAndBareWithIt() throws Exception {
        Result r = jrun("--root", tmp.toString(), "state", "nope");
        assertTrue(r.err().matches("time=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\" level=error "
                + "msg=\"container \\\\\"nope\\\\\" does not exist\"\n"), r.err());
        Path log = tmp.resolve("log.json");
        Result logged = jrun("--log", log.toString(), "--log-format", "json", "--root", tmp.toString(), "state", "nope");
        assertEquals("container \"nope\" does not exist\n", logged.err());
        assertTrue(Files.readString(log).startsWith("{\"level\":\"error\",\"msg\":\"container \\\"nope\\\" does not exist\""),
                Files.readString(log));
    }
}
