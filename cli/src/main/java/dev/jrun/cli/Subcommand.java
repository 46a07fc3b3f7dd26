package dev.jrun.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** One runc subcommand: its flags (built programmatically: no annotation scanning per call) and its action. */
interface Subcommand {
    String name();

    CommandSpec spec();

    /** @return the process exit status */
    int run(ParseResult args, Context ctx) throws Exception;
}
