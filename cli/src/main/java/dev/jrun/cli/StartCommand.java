package dev.jrun.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `start`: release a created container's process. */
final class StartCommand implements Subcommand {
    @Override
    public String name() {
        return "start";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "executes the user defined process in a created container", """
                <container-id>

                Where "<container-id>" is the name for the instance of the container.""",
                "The start command executes the user defined process in a created container.");
        spec.addPositional(Options.positional("ID", "1", "container id"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        ctx.containers().start(Options.id(r));
        return 0;
    }
}
