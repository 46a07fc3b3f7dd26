package dev.jrun.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * jrun's man pages (section 8, troff's man macros): jrun.8 for jrun itself and its global
 * options, jrun-COMMAND.8 for each command.  Made at build time from the command model that
 * parses, with the texts its help shows ({@link HelpLayout}), so a page cannot name a flag
 * jrun does not take, nor miss one it does.
 */
final class ManPages {
    private static final String MANUAL = "System Manager's Manual";

    private ManPages() {
    }

    /** Each page by its file name, jrun.8 first. */
    static Map<String, String> pages(CommandSpec root, String version) {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("jrun.8", rootPage(root, version));
        for (CommandSpec command : pagedCommands(root)) {
            pages.put(pageName(command) + ".8", commandPage(command, version));
        }
        return pages;
    }

    /** Every command but help, whose page would only say what jrun.8 says. */
    static List<CommandSpec> pagedCommands(CommandSpec root) {
        List<CommandSpec> paged = new ArrayList<>();
        for (CommandSpec command : HelpLayout.commands(root)) {
            if (!command.name().equals("help")) {
                paged.add(command);
            }
        }
        return paged;
    }

    static String pageName(CommandSpec command) {
        return "jrun-" + command.name();
    }

    private static String rootPage(CommandSpec root, String version) {
        Troff page = new Troff("jrun", version);
        page.section("NAME").line("jrun \\- " + Troff.escape(HelpLayout.summary(root)));
        page.section("SYNOPSIS").line("\\fBjrun\\fR [\\fIglobal options\\fR] \\fIcommand\\fR [\\fIcommand options\\fR] "
                + "[\\fIarguments\\fR...]");
        page.section("DESCRIPTION").text(List.of(root.usageMessage().description()));
        page.section("COMMANDS");
        for (CommandSpec command : HelpLayout.commands(root)) {
            List<String> names = new ArrayList<>();
            names.add(bold(command.name()));
            for (String alias : command.aliases()) {
                names.add(bold(alias));
            }
            String summary = Troff.escape(HelpLayout.summary(command));
            page.tagged(String.join(", ", names), command.name().equals("help") ? summary
                    : summary + "; see " + reference(pageName(command)) + ".");
        }
        options(page.section("GLOBAL OPTIONS"), root);
        List<String> seeAlso = new ArrayList<>();
        for (CommandSpec command : pagedCommands(root)) {
            seeAlso.add(reference(pageName(command)));
        }
        page.section("SEE ALSO").line(String.join(",\n", seeAlso));
        return page.toString();
    }

    private static String commandPage(CommandSpec command, String version) {
        Troff page = new Troff(pageName(command), version);
        page.section("NAME").line(Troff.escape(pageName(command)) + " \\- "
                + Troff.escape(HelpLayout.summary(command)));
        String synopsis = "\\fBjrun\\fR [\\fIglobal options\\fR] " + bold(command.name());
        if (!HelpLayout.visibleOptions(command).isEmpty()) {
            synopsis += " [\\fIcommand options\\fR]";
        }
        String args = HelpLayout.arguments(command)[0];
        page.section("SYNOPSIS").line(args.isEmpty() ? synopsis : synopsis + " " + Troff.escape(args));
        page.section("DESCRIPTION");
        String[] description = command.usageMessage().description();
        if (description.length > 0) {
            page.text(List.of(description));
        } else {
            page.text(List.of(sentence(HelpLayout.summary(command))));
        }
        List<String> explained = HelpLayout.argumentsExplained(command);
        if (!explained.isEmpty()) {
            page.paragraph().text(explained);
        }
        if (!HelpLayout.visibleOptions(command).isEmpty()) {
            options(page.section("OPTIONS"), command);
        }
        page.section("SEE ALSO").line(reference("jrun") + " for the global options and the other commands.");
        return page.toString();
    }

    private static void options(Troff page, CommandSpec spec) {
        for (OptionSpec o : HelpLayout.visibleOptions(spec)) {
            List<String> names = new ArrayList<>();
            for (String name : o.names()) {
                names.add(bold(name) + (o.arity().max() > 0 ? " " + italic(o.paramLabel()) : ""));
            }
            page.tagged(String.join(", ", names), Troff.escape(HelpLayout.description(o)));
        }
    }

    private static String sentence(String summary) {
        return summary.isEmpty() ? "" : summary.substring(0, 1).toUpperCase(Locale.ROOT) + summary.substring(1) + ".";
    }

    private static String bold(String word) {
        return "\\fB" + Troff.escape(word) + "\\fR";
    }

    private static String italic(String word) {
        return "\\fI" + Troff.escape(word) + "\\fR";
    }

    private static String reference(String page) {
        return bold(page) + "(8)";
    }

    /** One page being written: the man macros jrun's pages use, and troff's escapes. */
    static final class Troff {
        /** A line of its own that heads what follows, such as "EXAMPLE 1:". */
        private static final Pattern HEADING = Pattern.compile("[A-Z][A-Z0-9 ]*:");

        private final StringBuilder out = new StringBuilder();

        Troff(String name, String version) {
            out.append(".\\\" ").append(name).append("(8): made by jrun's build from its command line; edit that, not this file\n");
            out.append(".TH ").append(quoted(escape(name.toUpperCase(Locale.ROOT)))).append(" 8 \"\" ")
                    .append(quoted("jrun " + escape(version))).append(' ').append(quoted(MANUAL)).append('\n');
        }

        Troff section(String heading) {
            out.append(".SH ").append(quoted(heading)).append('\n');
            return this;
        }

        Troff paragraph() {
            out.append(".PP\n");
            return this;
        }

        /** A line of troff as it is: the caller escaped what needs it. */
        Troff line(String troff) {
            out.append(troff).append('\n');
            return this;
        }

        /** An indented paragraph under a tag line (an option, a command). */
        Troff tagged(String tag, String troff) {
            out.append(".TP\n").append(tag).append('\n').append(troff).append('\n');
            return this;
        }

        /**
         * Plain text: a blank line starts a paragraph, and indented lines (examples, JSON) are
         * kept as they are, set off from the text around them.
         */
        Troff text(List<String> lines) {
            boolean newParagraph = false;
            for (int i = 0; i < lines.size(); ) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    newParagraph = true;
                    i++;
                    continue;
                }
                if (newParagraph) {
                    paragraph();
                    newParagraph = false;
                }
                if (HEADING.matcher(line).matches()) {
                    out.append("\\fB").append(escape(line.strip())).append("\\fR\n.br\n");
                    i++;
                    continue;
                }
                if (!Character.isWhitespace(line.charAt(0))) {
                    out.append(escape(line.strip())).append('\n');
                    i++;
                    continue;
                }
                int end = i;
                int indent = Integer.MAX_VALUE;
                while (end < lines.size() && !lines.get(end).isBlank()
                        && Character.isWhitespace(lines.get(end).charAt(0))) {
                    String l = lines.get(end);
                    indent = Math.min(indent, l.length() - l.stripLeading().length());
                    end++;
                }
                out.append(".RS 4\n.nf\n");
                for (String l : lines.subList(i, end)) {
                    out.append(escape(l.substring(indent).stripTrailing())).append('\n');
                }
                out.append(".fi\n.RE\n");
                i = end;
            }
            return this;
        }

        /**
         * Text as troff reads it literally: a backslash is its escape character, a plain "-" may
         * be set as a hyphen (which breaks copying an option), and a line starting with a dot
         * or a quote would be read as a request.
         */
        static String escape(String text) {
            String escaped = text.replace("\\", "\\e").replace("-", "\\-");
            return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
        }

        private static String quoted(String argument) {
            return "\"" + argument.replace("\"", "\\(dq") + "\"";
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
