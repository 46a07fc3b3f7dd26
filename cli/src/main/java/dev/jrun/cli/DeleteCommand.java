package dev.jrun.cli;

import dev.jrun.runtime.container.JrunException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `delete [--force] ID`; with --force an unknown id is success (the shim always sends a second one). */
final class DeleteCommand implements Subcommand {
    @Override
    public String name() {
        return "delete";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "delete a container");
        spec.addOption(Options.flag("kill the container first if it is running", "--force", "-f"));
        spec.addPositional(Options.positional("ID", "1", "container id"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        boolean force = Options.isSet(r, "--force");
        try {
            ctx.containers().delete(Options.id(r), force);
        } catch (JrunException.NotFound e) {
            if (!force) {
                throw e;
            }
        }
        return 0;
    }
}
