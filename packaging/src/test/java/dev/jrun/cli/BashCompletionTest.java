package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;

/** The bash completion made from jrun's command model: every command, each with its options, and it works in bash. */
class BashCompletionTest {
    private static String script;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        script = BashCompletion.script();
    }

    /** The body of the function that completes one command (or jrun itself, for ""). */
    private static String function(String command) {
        String name = command.isEmpty() ? "_picocli_jrun" : "_picocli_jrun_" + command;
        Matcher m = Pattern.compile("(?s)\nfunction " + name + "\\(\\) \\{\n(.*?)\n}\n").matcher(script);
        assertTrue(m.find(), "a function completes " + (command.isEmpty() ? "jrun" : command));
        return m.group(1);
    }

    /** The words of `local NAME="..."` in a function, quotes removed. */
    private static List<String> words(String function, String variable) {
        Matcher m = Pattern.compile("\n  local " + variable + "=\"([^\"]*)\"").matcher("\n" + function);
        assertTrue(m.find(), variable);
        List<String> words = new ArrayList<>();
        for (String w : m.group(1).trim().split("\\s+")) {
            if (!w.isEmpty()) {
                words.add(w.replace("'", ""));
            }
        }
        return words;
    }

    @Test
    void namesEveryCommand() {
        List<String> expected = new ArrayList<>();
        for (Subcommand s : Main.subcommands()) {
            expected.add(s.name());
        }
        expected.add("h");
        assertEquals(expected, words(function(""), "commands"));
    }

    @Test
    void namesEachCommandsOptionsAndOnlyThose() {
        for (Subcommand s : Main.subcommands()) {
            String body = function(s.name());
            List<String> offered = new ArrayList<>(words(body, "flag_opts"));
            offered.addAll(words(body, "arg_opts"));
            List<String> expected = new ArrayList<>();
            for (OptionSpec o : s.spec().options()) {
                if (!o.hidden()) { // runc's obsolete flags are taken, never offered
                    expected.addAll(Arrays.asList(o.names()));
                }
            }
            offered.sort(null);
            expected.sort(null);
            assertEquals(expected, offered, s.name());
        }
        List<String> global = new ArrayList<>(words(function(""), "flag_opts"));
        global.addAll(words(function(""), "arg_opts"));
        assertTrue(global.containsAll(List.of("--root", "--log", "--log-format", "--debug", "--systemd-cgroup",
                "--rootless", "--criu", "--help", "-h", "--version", "-v")), global.toString());
    }

    @Test
    void itsOwnHeaderNotTheGenerators() {
        assertTrue(script.startsWith("# bash completion for jrun"), script.substring(0, 200));
        assertFalse(script.contains("picocli.info") || script.contains("Installation"), "the generator's notes are gone");
        assertFalse(script.contains("(see ["), "no references into a comment that is not there");
    }

    private String bash(String commands) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("jrun"), script);
        Process bash = new ProcessBuilder("bash", "-c", "source " + file + " && " + commands).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), commands + ": " + out);
        return out;
    }

    /** What bash offers for LINE, the cursor at its end. */
    private String complete(String line) throws IOException, InterruptedException {
        String words = line.endsWith(" ") ? line + "''" : line;
        return bash("COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(" + words + "); "
                + "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _complete_jrun; echo \"${COMPREPLY[*]}\"").trim();
    }

    @Test
    void bashTakesItForJrun() throws IOException, InterruptedException {
        assertEquals("complete -o default -F _complete_jrun jrun", bash("complete -p jrun").trim());
    }

    @Test
    void bashCompletesCommandsOptionsAndFiles() throws IOException, InterruptedException {
        assertEquals("update", complete("jrun upd"));
        assertEquals("--memory --memory-reservation --memory-swap --mem-bw-schema", complete("jrun update --mem"));
        assertEquals("--root --rootless", complete("jrun --ro"));
        Files.createDirectory(dir.resolve("bundle-1"));
        assertEquals("bundle-1", complete("jrun create --bundle bund"), "a directory's name completes as a file");
        assertEquals("bundle-1", complete("jrun --root bund"));
    }
}
