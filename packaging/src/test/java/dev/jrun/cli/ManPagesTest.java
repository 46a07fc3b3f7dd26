package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The man pages made from jrun's command model: one per command, every option on its page, valid troff. */
class ManPagesTest {
    /** The only requests (lines starting with a dot) the pages are made of. */
    private static final Set<String> REQUESTS = Set.of(".\\\"", ".TH", ".SH", ".PP", ".TP", ".RS", ".RE", ".nf", ".fi",
            ".br");

    private static CommandSpec root() {
        CommandSpec root = Main.rootSpec(Main.subcommands());
        new CommandLine(root);
        return root;
    }

    private static Map<String, String> pages() {
        return ManPages.pages(root(), "9.8.7");
    }

    @Test
    void onePagePerCommandAndOneForJrun() {
        List<String> expected = new ArrayList<>(List.of("jrun.8"));
        for (Subcommand s : Main.subcommands()) {
            if (!s.name().equals("help")) {
                expected.add("jrun-" + s.name() + ".8");
            }
        }
        assertEquals(expected, new ArrayList<>(pages().keySet()));
    }

    @Test
    void eachPageHasATroffHeaderAndTheSectionsOfAManPage() {
        Set<String> withoutOptions = new HashSet<>();
        for (Subcommand s : Main.subcommands()) {
            if (s.spec().options().stream().allMatch(OptionSpec::usageHelp)) {
                withoutOptions.add("jrun-" + s.name());
            }
        }
        assertTrue(withoutOptions.contains("jrun-start"), withoutOptions.toString());
        for (Map.Entry<String, String> page : pages().entrySet()) {
            String name = page.getKey().replace(".8", "");
            String[] lines = page.getValue().split("\n");
            assertTrue(lines[0].startsWith(".\\\" "), page.getKey() + ": a comment first: " + lines[0]);
            assertEquals(".TH \"" + name.toUpperCase().replace("-", "\\-") + "\" 8 \"\" \"jrun 9.8.7\" "
                    + "\"System Manager's Manual\"", lines[1], page.getKey());
            List<String> sections = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith(".SH ")) {
                    sections.add(line.substring(5, line.length() - 1));
                }
            }
            List<String> expected = name.equals("jrun")
                    ? List.of("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "GLOBAL OPTIONS", "SEE ALSO")
                    : List.of("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "SEE ALSO");
            if (withoutOptions.contains(name)) {
                expected = List.of("NAME", "SYNOPSIS", "DESCRIPTION", "SEE ALSO");
            }
            assertEquals(expected, sections, page.getKey());
            assertTrue(lines[3].startsWith(name.replace("-", "\\-") + " \\- "),
                    page.getKey() + ": NAME is the page's name and what it is about, as whatis reads it: " + lines[3]);
        }
    }

    @Test
    void everyTextLineIsTextToTroff() {
        for (Map.Entry<String, String> page : pages().entrySet()) {
            for (String line : page.getValue().split("\n")) {
                assertFalse(line.isEmpty(), page.getKey() + ": a blank line is a request of its own (a vertical space)");
                if (line.startsWith(".") || line.startsWith("'")) {
                    assertTrue(REQUESTS.contains(line.split(" ", 2)[0]), page.getKey() + ": " + line);
                }
                assertTrue(line.startsWith(".\\\"") || !line.replace("\\-", "").contains("-"),
                        page.getKey() + ": a bare - is set as a hyphen, which breaks copying an option: " + line);
            }
        }
    }

    @Test
    void everyOptionIsOnItsCommandsPage() {
        CommandSpec root = root();
        Map<String, String> pages = ManPages.pages(root, "1");
        assertOptionsOn(pages.get("jrun.8"), root);
        int commands = 0;
        for (CommandSpec command : ManPages.pagedCommands(root)) {
            String page = pages.get("jrun-" + command.name() + ".8");
            assertOptionsOn(page, command);
            assertTrue(page.contains("\\fBjrun\\fR [\\fIglobal options\\fR] \\fB" + command.name().replace("-", "\\-")
                    + "\\fR"), command.name() + "'s synopsis");
            commands++;
        }
        assertEquals(Main.subcommands().size() - 1, commands);
    }

    private static void assertOptionsOn(String page, CommandSpec spec) {
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() && spec.parent() != null || o.hidden()) {
                continue;
            }
            String tag = ".TP\n\\fB" + ManPages.Troff.escape(o.names()[0]) + "\\fR";
            int at = page.indexOf(tag);
            assertTrue(at >= 0, spec.name() + ": " + o.longestName() + " has a tagged paragraph");
            String text = page.substring(at).split("\n")[2];
            assertEquals(ManPages.Troff.escape(HelpLayout.description(o)), text, o.longestName());
            assertTrue(!text.isEmpty(), o.longestName() + " says what it does");
        }
    }

    @Test
    void theUpdatePageSaysWhatMemoryDoes() {
        String page = pages().get("jrun-update.8");
        assertTrue(page.contains(".TP\n\\fB\\-\\-memory\\fR \\fIVALUE\\fR\nMemory limit (in bytes)\n"), page);
    }

    @Test
    void troffEscapes() {
        assertEquals("\\-\\-memory", ManPages.Troff.escape("--memory"));
        assertEquals("criu writes \\e0", ManPages.Troff.escape("criu writes \\0"));
        assertEquals("\\&.hidden and \\&'quoted", ManPages.Troff.escape(".hidden") + " and "
                + ManPages.Troff.escape("'quoted"));
    }

    @Test
    void indentedLinesAreKeptAsTheyAreAndHeadingsStandAlone() {
        String troff = new ManPages.Troff("x", "1").text(List.of("Some text", "", "EXAMPLE:", "To run it:", "    a b",
                "      c", "", "More.")).toString();
        assertTrue(troff.endsWith("Some text\n.PP\n\\fBEXAMPLE:\\fR\n.br\nTo run it:\n.RS 4\n.nf\na b\n  c\n.fi\n.RE\n"
                + ".PP\nMore.\n"), troff);
    }

    /** groff itself, where it is installed (deps.sh's test group): a page it warns about renders badly. */
    @Test
    void groffFindsNothingToWarnAbout(@TempDir Path dir) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "groff is not installed");
        for (Map.Entry<String, String> page : pages().entrySet()) {
            Path file = Files.writeString(dir.resolve(page.getKey()), page.getValue());
            Process groff = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", file.toString())
                    .redirectErrorStream(true).start();
            String warnings = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, groff.waitFor(), page.getKey() + ": " + warnings);
            assertEquals("", warnings, page.getKey());
        }
    }
}
