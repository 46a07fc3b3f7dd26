package dev.jrun.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `run`: create and start, then wait in the foreground unless detached. */
final class RunCommand implements Subcommand {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = CreateCommand.withCreateFlags(Options.command(name(), "create and run a container"));
        spec.addOption(Options.flag("detach from the container's process", "--detach", "-d"));
        spec.addOption(Options.flag("do not delete the container after it exits", "--keep"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        return ctx.containers().run(Options.id(r), CreateCommand.createOptions(r, ctx.cwd()), Options.isSet(r, "--detach"),
                Options.isSet(r, "--keep"));
    }
}
