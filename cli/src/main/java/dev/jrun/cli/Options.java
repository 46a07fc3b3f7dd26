package dev.jrun.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/** Shorthands for building runc's flags with picocli's programmatic API. */
final class Options {
    private Options() {
    }

    /**
     * A command with runc's help texts, kept in picocli's usage fields so the help, the man
     * pages and the completion all read them from the model that parses:
     *
     * @param summary the one line the command list shows (urfave/cli's Usage): the header
     * @param args what follows "[command options]" in USAGE (ArgsUsage); lines after the first
     *     are shown beneath it: the custom synopsis
     * @param description the DESCRIPTION section, or "" for none
     */
    static CommandSpec command(String name, String summary, String args, String description) {
        CommandSpec spec = CommandSpec.create().name(name);
        spec.usageMessage().header(summary).customSynopsis(args.split("\n", -1));
        if (!description.isEmpty()) {
            spec.usageMessage().description(description.stripTrailing().split("\n", -1));
        }
        spec.addOption(help());
        return spec;
    }

    static OptionSpec help() {
        return OptionSpec.builder("--help", "-h").usageHelp(true).description("show help").build();
    }

    static OptionSpec value(String label, String description, String... names) {
        return OptionSpec.builder(names).type(String.class).arity("1").paramLabel(label).description(description).build();
    }

    static OptionSpec repeated(String label, String description, String... names) {
        return OptionSpec.builder(names).type(String[].class).auxiliaryTypes(String.class).arity("1").paramLabel(label)
                .description(description).build();
    }

    static OptionSpec flag(String description, String... names) {
        return OptionSpec.builder(names).type(boolean.class).arity("0").description(description).build();
    }

    /** The first positional parameter (the container id, usually). */
    static PositionalParamSpec positional(String label, String arity, String description) {
        return PositionalParamSpec.builder().index("0").paramLabel(label).type(String.class).arity(arity)
                .description(description).build();
    }

    /** The second positional parameter. */
    static PositionalParamSpec second(String label, String arity, String description) {
        return PositionalParamSpec.builder().index("1").paramLabel(label).type(String.class).arity(arity)
                .description(description).build();
    }

    /** Every word from the second position on: a command and its arguments, dashes included. */
    static PositionalParamSpec rest(String label, String description) {
        return PositionalParamSpec.builder().index("1..*").paramLabel(label).type(String[].class)
                .auxiliaryTypes(String.class).arity("0..*").description(description).build();
    }

    static String id(ParseResult r) {
        return r.matchedPositionalValue(0, (String) null);
    }

    static boolean isSet(ParseResult r, String name) {
        Boolean v = r.matchedOptionValue(name, Boolean.FALSE);
        return Boolean.TRUE.equals(v);
    }

    static String string(ParseResult r, String name) {
        return r.matchedOptionValue(name, (String) null);
    }

    static int integer(ParseResult r, String name, int dflt) throws UsageException {
        String v = string(r, name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("invalid value \"" + v + "\" for " + name + ": must be a non-negative integer");
        }
    }

    /** A bad command line: exit status 2 is not used by runc, which exits 1 for everything. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
