package dev.jrun.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `run`: create and start, then wait in the foreground unless detached. */
final class RunCommand implements Subcommand {
    static final String DETACH = "detach from the container's process";

    @Override
    public String name() {
        return "run";
    }

    @Override
    public CommandSpec spec() {
        return CreateCommand.withCreateFlags(Options.command(name(), "create and run a container", CreateCommand.ARGS,
                """
                The run command creates an instance of a container for a bundle and starts it.
                The bundle is a directory with a specification file named "config.json" and a
                root filesystem. Unless detached, jrun waits for the container's process, exits
                with its exit status and deletes the container.

                The specification's process.args is the command the container runs; to change
                it, edit the specification. See "jrun spec --help".
                """), Options.flag(DETACH, "--detach", "-d"),
                Options.flag("do not delete the container after it exits", "--keep"),
                Options.flag(CreateCommand.NO_SUBREAPER, "--no-subreaper"));
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        return ctx.containers().run(Options.id(r), CreateCommand.createOptions(r, ctx.cwd()), Options.isSet(r, "--detach"),
                Options.isSet(r, "--keep"));
    }
}
