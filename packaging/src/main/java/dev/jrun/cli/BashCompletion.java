package dev.jrun.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * jrun's bash completion script, made at build time by picocli from the command model that
 * parses: every command and each of its options, so it cannot drift from the code.
 */
final class BashCompletion {
    /** Where the generated script's own code starts, after its comment. */
    private static final String CODE = "if [ -n \"$BASH_VERSION\" ]";

    /** The value labels of options that name a file, a directory or a socket. */
    private static final Set<String> PATH_LABELS = Set.of("DIR", "FILE", "PATH");

    private static final String HEADER = """
            # bash completion for jrun: its commands, and each command's options.  Made by jrun's
            # build from its command line; installed as PREFIX/share/bash-completion/completions/jrun,
            # where bash-completion finds it the first time jrun is completed (or: source this file).

            """;

    private BashCompletion() {
    }

    static String script() {
        CommandSpec root = Main.rootSpec(Main.subcommands());
        CommandLine cli = new CommandLine(root);
        pathsCompleteAsFiles(root);
        for (CommandSpec command : HelpLayout.commands(root)) {
            pathsCompleteAsFiles(command);
        }
        String generated = AutoComplete.bash(root.name(), cli);
        // its comment tells how to install a script for a program of one's own, which this is not
        int code = generated.indexOf(CODE);
        if (code < 0) {
            throw new IllegalStateException("the generated completion script no longer starts its code with " + CODE);
        }
        // and its notes point into that comment's list of references
        return HEADER + generated.substring(code).replaceAll(" \\(see \\[\\d+\\]\\)", "");
    }

    /**
     * jrun takes every value as a string; picocli completes file names only for values it
     * would convert to a path, so such options are retyped in this copy of the model.
     */
    private static void pathsCompleteAsFiles(CommandSpec spec) {
        List<OptionSpec> options = new ArrayList<>(spec.options());
        for (OptionSpec o : options) {
            spec.remove(o);
        }
        // all of them again, in their order
        for (OptionSpec o : options) {
            spec.addOption(!PATH_LABELS.contains(o.paramLabel()) ? o : OptionSpec.builder(o.names()).type(Path.class)
                    .arity(o.arity()).paramLabel(o.paramLabel()).description(o.description()).build());
        }
    }
}
