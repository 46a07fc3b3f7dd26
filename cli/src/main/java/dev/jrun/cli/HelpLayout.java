package dev.jrun.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * jrun's help in runc's layout (urfave/cli v1's templates): NAME, USAGE, VERSION, DESCRIPTION,
 * COMMANDS and GLOBAL OPTIONS for jrun itself; NAME, USAGE, DESCRIPTION and OPTIONS for a
 * command.  Each is a picocli help section over the command model that parses the command
 * line, so the help cannot show a flag the parser does not take, nor miss one it does.  Where
 * the texts live in that model: {@link Options#command}.
 */
final class HelpLayout {
    static final String INDENT = "   ";

    private HelpLayout() {
    }

    /** The help of jrun (a spec without a parent) or of one of its commands. */
    static String render(CommandSpec spec) {
        CommandLine cli = spec.commandLine() != null ? spec.commandLine() : new CommandLine(spec);
        Section[] sections = spec.parent() == null
                ? new Section[] {Section.NAME, Section.ROOT_USAGE, Section.VERSION, Section.DESCRIPTION,
                    Section.COMMANDS, Section.GLOBAL_OPTIONS}
                : new Section[] {Section.NAME, Section.COMMAND_USAGE, Section.DESCRIPTION, Section.OPTIONS};
        Map<String, IHelpSectionRenderer> map = new LinkedHashMap<>();
        for (Section s : sections) {
            map.put(s.name(), s);
        }
        cli.setHelpSectionKeys(new ArrayList<>(map.keySet()));
        cli.setHelpSectionMap(map);
        return cli.getUsageMessage(Help.Ansi.OFF);
    }

    /** The one line the command list and NAME show. */
    static String summary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        return header.length == 0 ? "" : header[0];
    }

    /** What follows "[command options]" in USAGE; the lines after it explain the arguments. */
    static String[] arguments(CommandSpec spec) {
        String[] args = spec.usageMessage().customSynopsis();
        return args.length == 0 ? new String[] {""} : args;
    }

    /** The lines that explain {@link #arguments}, without the blank lines that set them apart. */
    static List<String> argumentsExplained(CommandSpec spec) {
        String[] args = arguments(spec);
        int from = 1;
        while (from < args.length && args[from].isBlank()) {
            from++;
        }
        return List.of(args).subList(from, args.length);
    }

    /** The options a person can give, in the order they are declared; a command's -h is not listed. */
    static List<OptionSpec> visibleOptions(CommandSpec spec) {
        List<OptionSpec> visible = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden() && (spec.parent() == null || !o.usageHelp())) {
                visible.add(o);
            }
        }
        return visible;
    }

    /** Every name of the option with its value's label, as urfave/cli shows it: "--bundle DIR, -b DIR". */
    static String names(OptionSpec o) {
        StringBuilder sb = new StringBuilder();
        for (String name : o.names()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(name);
            if (o.arity().max() > 0) {
                sb.append(' ').append(o.paramLabel());
            }
        }
        return sb.toString();
    }

    static String description(OptionSpec o) {
        return o.description().length == 0 ? "" : String.join(" ", o.description());
    }

    /** Each command once (not again for its aliases), in the order they were added. */
    static List<CommandSpec> commands(CommandSpec spec) {
        List<CommandSpec> commands = new ArrayList<>();
        for (CommandLine sub : spec.subcommands().values()) {
            if (!commands.contains(sub.getCommandSpec()) && !sub.getCommandSpec().usageMessage().hidden()) {
                commands.add(sub.getCommandSpec());
            }
        }
        return commands;
    }

    private enum Section implements IHelpSectionRenderer {
        NAME {
            @Override
            public String render(Help help) {
                CommandSpec spec = help.commandSpec();
                return "NAME:\n" + INDENT + spec.qualifiedName() + " - " + summary(spec) + "\n";
            }
        },
        ROOT_USAGE {
            @Override
            public String render(Help help) {
                return "\nUSAGE:\n" + INDENT + help.commandSpec().qualifiedName()
                        + " [global options] command [command options] [arguments...]\n";
            }
        },
        COMMAND_USAGE {
            @Override
            public String render(Help help) {
                CommandSpec spec = help.commandSpec();
                String[] args = arguments(spec);
                StringBuilder line = new StringBuilder(spec.qualifiedName());
                if (!visibleOptions(spec).isEmpty()) {
                    line.append(" [command options]");
                }
                if (!args[0].isEmpty()) {
                    line.append(' ').append(args[0]);
                }
                StringBuilder sb = new StringBuilder("\nUSAGE:\n").append(INDENT).append(line).append('\n');
                List<String> explanation = argumentsExplained(spec);
                if (!explanation.isEmpty()) {
                    sb.append('\n');
                }
                return indented(sb, explanation).toString();
            }
        },
        VERSION {
            @Override
            public String render(Help help) {
                return "\nVERSION:\n" + INDENT + Main.versionNumber() + "\n";
            }
        },
        DESCRIPTION {
            @Override
            public String render(Help help) {
                String[] lines = help.commandSpec().usageMessage().description();
                if (lines.length == 0) {
                    return "";
                }
                return indented(new StringBuilder("\nDESCRIPTION:\n"), List.of(lines)).toString();
            }
        },
        COMMANDS {
            @Override
            public String render(Help help) {
                List<String[]> rows = new ArrayList<>();
                for (CommandSpec c : commands(help.commandSpec())) {
                    String names = c.name();
                    for (String alias : c.aliases()) {
                        names += ", " + alias;
                    }
                    rows.add(new String[] {names, summary(c)});
                }
                return rows.isEmpty() ? "" : "\nCOMMANDS:\n" + table(rows);
            }
        },
        GLOBAL_OPTIONS {
            @Override
            public String render(Help help) {
                return options("GLOBAL OPTIONS", help.commandSpec());
            }
        },
        OPTIONS {
            @Override
            public String render(Help help) {
                return options("OPTIONS", help.commandSpec());
            }
        };

        private static String options(String heading, CommandSpec spec) {
            List<String[]> rows = new ArrayList<>();
            for (OptionSpec o : visibleOptions(spec)) {
                rows.add(new String[] {names(o), description(o)});
            }
            return rows.isEmpty() ? "" : "\n" + heading + ":\n" + table(rows);
        }

        /** Two columns as Go's tabwriter aligns them for urfave/cli: two spaces after the widest first cell. */
        private static String table(List<String[]> rows) {
            int width = 0;
            for (String[] row : rows) {
                width = Math.max(width, row[0].length());
            }
            StringBuilder sb = new StringBuilder();
            for (String[] row : rows) {
                sb.append(INDENT).append(row[0]);
                if (!row[1].isEmpty()) {
                    sb.append(" ".repeat(width - row[0].length() + 2)).append(row[1]);
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    /** Lines under a section heading, blank ones left without the indent's trailing spaces. */
    private static StringBuilder indented(StringBuilder sb, List<String> lines) {
        for (String line : lines) {
            sb.append(line.isEmpty() ? "" : INDENT + line).append('\n');
        }
        return sb;
    }
}
