package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.testbundles.Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every error the command line can reach, for bad input of each kind: one line a person can
 * act on, that says what jrun was doing, with no Java class or library internals, and nothing
 * left behind.
 */
class ErrorMessagesTest extends ContainerTest {
    private static final Pattern INTERNALS = Pattern.compile(
            "dev\\.jrun|java\\.|javax\\.|Exception|jnr|jffi|jackson|fasterxml|picocli|StreamReadConstraints|\\.class");

    private Result failing(String expected, String... args) throws Exception {
        Result r = jrun(args);
        assertNotEquals(0, r.status(), String.join(" ", args) + " succeeded");
        assertFalse(INTERNALS.matcher(r.err()).find(), String.join(" ", args) + ": " + r.err());
        assertTrue(r.err().length() < 1200, "readable length: " + r.err().length() + " characters");
        assertTrue(r.err().contains(expected), String.join(" ", args) + ": expected \"" + expected + "\" in " + r.err());
        return r;
    }

    @Test
    void unknownContainers() throws Exception {
        String[][] calls = {{"state", "nope"}, {"start", "nope"}, {"kill", "nope", "9"}, {"delete", "nope"},
            {"pause", "nope"}, {"resume", "nope"}, {"ps", "nope"}, {"exec", "nope", "true"}, {"events", "nope"},
            {"update", "--memory", "1M", "nope"}, {"update", "--resources", "/nonexistent", "nope"}};
        for (String[] call : calls) {
            failing("container \"nope\" does not exist", call);
        }
    }

    @Test
    void badFlagsAndArguments() throws Exception {
        failing("frobnicate", "create", "--frobnicate", "x");
        failing("container id cannot be empty", "state");
        failing("invalid container id", "state", "a/b");
        failing("invalid log format \"xml\"", "--log-format", "xml", "list");
        failing("open /nonexistent/dir/log: no such file or directory", "--log", "/nonexistent/dir/log", "list");
        failing("/nonexistent", "run", "--bundle", "/nonexistent", "x");
        Result validate = jrun("validate", "--bundle", "/nonexistent");
        assertEquals(1, validate.status());
        assertEquals("config.json: no such file in bundle /nonexistent\n", validate.out(), "validate reports on stdout");
    }

    @Test
    void badFilesOfARunningContainer() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "30"));
        jrun("run", "-d", "--bundle", b.dir().toString(), id).ok();
        failing("/nonexistent: no such file or directory", "update", "--resources", "/nonexistent", id);
        Path broken = Files.writeString(work.resolve("broken.json"), "{\"memory\": [");
        failing(broken.toString(), "update", "--resources", broken.toString(), id);
        failing("/nonexistent", "exec", "--process", "/nonexistent", id);
        failing("9999", "kill", id, "9999");
    }

    @Test
    void aVeryLongIdSaysWhatFailed() throws Exception {
        String id = "a".repeat(5000);
        Bundle b = bundle(newId(), c -> { });
        Result r = failing("create the state directory " + root + "/aaaa", "create", "--bundle", b.dir().toString(), id);
        assertTrue(r.err().contains("(5000 characters): file name too long"), r.err());
    }

    @Test
    void aPidFileInAMissingDirectoryUndoesTheCreate() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> { });
        failing("write the pid file /nonexistent/dir/c.pid: no such file or directory", "create", "--pid-file",
                "/nonexistent/dir/c.pid", "--bundle", b.dir().toString(), id);
        assertFalse(Files.exists(root.resolve(id)));
        assertEquals(1, jrun("state", id).status());
    }

    @Test
    void aHugeValueIsShownShortened() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.hostname("h".repeat(100_000)));
        Result r = failing("(100000 characters)", "create", "--bundle", b.dir().toString(), id);
        assertTrue(r.err().endsWith("invalid argument\n"), r.err());
        assertFalse(Files.exists(root.resolve(id)));
    }

    @Test
    void deepNestingIsNamedPlainly() throws Exception {
        Path bundle = Files.createDirectories(work.resolve("deep"));
        Files.writeString(bundle.resolve("config.json"), "{\"a\":".repeat(2000) + "1" + "}".repeat(2000));
        failing("config.json: nesting deeper than 1000 levels", "create", "--bundle", bundle.toString(), "deep");
    }

    @Test
    void aFullStateRootSaysWhatItWasWriting() throws Exception {
        Path full = Files.createDirectories(work.resolve("full"));
        assertEquals(0, exec(null, List.of("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full.toString()), 30)
                .status());
        try {
            exec(null, List.of("dd", "if=/dev/zero", "of=" + full.resolve("fill"), "bs=4k"), 30);
            String id = newId();
            Bundle b = bundle(id, c -> { });
            List<String> args = new ArrayList<>(List.of(jrun.toString(), "--root", full.resolve("state").toString(),
                    "--log", "/dev/null", "create", "--bundle", b.dir().toString(), id));
            Result r = exec(null, args, 60);
            assertEquals(1, r.status());
            assertTrue(r.err().endsWith(": no space left on device\n"), r.err());
            assertTrue(r.err().startsWith("write ") || r.err().startsWith("create "), r.err());
            assertEquals(0, exec(null, List.of(jrun.toString(), "--root", full.resolve("state").toString(), "delete",
                    "--force", id), 60).status());
            assertFalse(Files.exists(full.resolve("state").resolve(id)));
        } finally {
            exec(null, List.of("umount", full.toString()), 30);
        }
    }
}
