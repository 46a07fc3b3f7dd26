package dev.jrun.cli;

import static dev.jrun.cli.MainTest.jrun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.cli.MainTest.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** jrun's help in runc's (urfave/cli v1's) layout, for jrun and each of its commands. */
class HelpTest {
    private static final Pattern INTERNALS = Pattern.compile("dev\\.jrun|java\\.|Exception|picocli|\\bnull\\b");

    /** The text of one section: from the line after "HEADING:" to the blank line before the next heading. */
    private static String section(String help, String heading) {
        Matcher start = Pattern.compile("(?:^|\n\n)" + heading + ":\n").matcher(help);
        if (!start.find()) {
            return null;
        }
        Matcher next = Pattern.compile("\n\n[A-Z][A-Z ]*:\n").matcher(help);
        return help.substring(start.end(), next.find(start.end()) ? next.start() + 1 : help.length());
    }

    @Test
    void jrunsHelpHasRuncsSectionsInRuncsOrder() {
        Result r = jrun("-h");
        assertEquals(0, r.status());
        assertEquals("", r.err());
        String help = r.out();
        assertTrue(help.startsWith("NAME:\n   jrun - Open Container Initiative runtime\n\nUSAGE:\n"
                + "   jrun [global options] command [command options] [arguments...]\n\nVERSION:\n   "), help);
        int last = -1;
        for (String heading : List.of("NAME:", "USAGE:", "VERSION:", "DESCRIPTION:", "COMMANDS:", "GLOBAL OPTIONS:")) {
            int at = help.indexOf(heading);
            assertTrue(at > last, heading + " after the section before it:\n" + help);
            last = at;
        }
        String version = section(help, "VERSION").trim();
        assertEquals(Main.versionNumber(), version);
        assertFalse(version.isEmpty() || version.contains("\n"), version);
    }

    @Test
    void theCommandListNamesEveryCommandWithItsSummary() {
        String commands = section(jrun("--help").out(), "COMMANDS");
        List<String> names = new ArrayList<>();
        for (String line : commands.strip().split("\n")) {
            names.add(line.strip().split("  +")[0]);
        }
        List<String> expected = new ArrayList<>();
        for (Subcommand s : Main.subcommands()) {
            expected.add(s.name().equals("help") ? "help, h" : s.name());
        }
        assertEquals(expected, names);
        assertTrue(commands.contains("\n   update      update container resource constraints\n"), commands);
        assertTrue(commands.contains("\n   help, h     Shows a list of commands or help for one command\n"), commands);
    }

    @Test
    void globalOptionsAreRuncsWithTheirValues() {
        String options = section(jrun("-h").out(), "GLOBAL OPTIONS");
        List<String> names = new ArrayList<>();
        for (String line : options.strip().split("\n")) {
            names.add(line.strip().split("  +")[0]);
        }
        assertEquals(List.of("--debug", "--log FILE", "--log-format FORMAT", "--root DIR", "--criu PATH",
                "--systemd-cgroup", "--rootless VALUE", "--no-server", "--help, -h", "--version, -v"), names,
                "runc's, and jrun's own --no-server before help and version");
        assertTrue(options.contains("\n   --root DIR           root directory for storage of container state (this "
                + "should be located in tmpfs) (default: \"/run/jrun\")\n"), options);
    }

    @Test
    void helpWithoutATopicIsJrunsHelp() {
        String help = jrun("-h").out();
        for (List<String> call : List.<List<String>>of(List.of("help"), List.of("h"), List.of(), List.of("--help"),
                List.of("-help"), List.of("--root", "/nonexistent"))) {
            Result r = jrun(call.toArray(new String[0]));
            assertEquals(0, r.status(), call.toString());
            assertEquals(help, r.out(), call.toString());
        }
    }

    @Test
    void helpOfEachCommandIsWhatItsDashHShows() {
        for (Subcommand s : Main.subcommands()) {
            Result dashH = jrun(s.name(), "-h");
            assertEquals(0, dashH.status(), s.name());
            assertTrue(dashH.out().startsWith("NAME:\n   jrun " + s.name() + " - "), dashH.out());
            assertTrue(dashH.out().contains("\n\nUSAGE:\n   jrun " + s.name()), dashH.out());
            assertFalse(dashH.out().contains("GLOBAL OPTIONS"), dashH.out());
            assertEquals(dashH.out(), jrun("help", s.name()).out(), s.name());
            assertEquals(dashH.out(), jrun("h", s.name()).out(), s.name());
            assertEquals(dashH.out(), jrun(s.name(), "--help").out(), s.name());
            assertEquals(dashH.out(), jrun("--root", "/r", s.name(), "-h").out(), s.name());
        }
    }

    @Test
    void aCommandsOptionsAreEachListedOnceWithWhatTheyDo() {
        for (Subcommand s : Main.subcommands()) {
            CommandSpec spec = s.spec();
            String help = jrun(s.name(), "-h").out();
            String options = section(help, "OPTIONS");
            List<OptionSpec> given = new ArrayList<>();
            for (OptionSpec o : spec.options()) {
                if (!o.usageHelp() && !o.hidden()) {
                    given.add(o);
                }
            }
            if (given.isEmpty()) {
                assertEquals(null, options, s.name() + " takes no options:\n" + help);
                assertFalse(help.contains("[command options]"), help);
                continue;
            }
            assertTrue(help.contains("\n   jrun " + s.name() + " [command options]"), help);
            String[] lines = options.strip().split("\n");
            assertEquals(given.size(), lines.length, s.name() + ": one line an option, -h not among them\n" + options);
            for (int i = 0; i < lines.length; i++) {
                String[] cells = lines[i].strip().split("  +", 2);
                assertEquals(given.get(i).longestName(), cells[0].split("[ ,]")[0], s.name() + ": in declared order");
                assertEquals(2, cells.length, s.name() + ": " + lines[i] + " says what it does");
                assertFalse(INTERNALS.matcher(cells[1]).find(), lines[i]);
            }
        }
    }

    @Test
    void updatesFlagsSayWhatTheySetInRuncsWords() {
        String options = section(jrun("update", "-h").out(), "OPTIONS");
        assertTrue(options.contains("\n   --memory VALUE              Memory limit (in bytes)\n"), options);
        assertTrue(options.contains("\n   --pids-limit VALUE          Maximum number of pids allowed in the container\n"),
                options);
        assertTrue(options.startsWith("   --resources FILE, -r FILE   path to the file containing the resources to "
                + "update or '-' to read from the standard input\n"), options);
    }

    @Test
    void descriptionWhereRuncHasOne() {
        for (String command : List.of("checkpoint", "create", "events", "pause", "restore", "resume", "run", "spec",
                "start", "state", "features")) {
            assertTrue(jrun(command, "-h").out().contains("\n\nDESCRIPTION:\n   "), command);
        }
        for (String command : List.of("delete", "exec", "kill", "list", "ps")) {
            assertFalse(jrun(command, "-h").out().contains("DESCRIPTION:"), command);
        }
    }

    @Test
    void theArgumentsAreExplainedBeneathTheUsageLine() {
        String usage = section(jrun("kill", "-h").out(), "USAGE");
        assertTrue(usage.startsWith("   jrun kill [command options] <container-id> [signal]\n\n   Where "), usage);
    }

    @Test
    void anUnknownCommandIsNoHelpTopicAsInRunc() {
        for (List<String> call : List.of(List.of("foo"), List.of("foo", "-h"), List.of("help", "foo"),
                List.of("h", "foo", "bar"), List.of("--root=/r", "foo", "--bogus"))) {
            Result r = jrun(call.toArray(new String[0]));
            assertEquals(3, r.status(), call.toString());
            assertEquals("", r.out(), call.toString());
            assertEquals("No help topic for 'foo'\n", r.message(), call.toString());
        }
        Result helpFirst = jrun("-h", "foo");
        assertEquals(0, helpFirst.status(), "as runc: the global -h comes first");
        assertEquals(jrun("-h").out(), helpFirst.out());
    }

    @Test
    void helpLinesEndWithoutSpaces() {
        for (Subcommand s : Main.subcommands()) {
            for (String line : jrun(s.name(), "-h").out().split("\n")) {
                assertEquals(line.stripTrailing(), line, s.name() + ": \"" + line + "\"");
            }
        }
    }
}
