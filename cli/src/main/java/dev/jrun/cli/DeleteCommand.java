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
        CommandSpec spec = Options.command(name(),
                "delete any resources held by the container often used with detached container", """
                <container-id>

                Where "<container-id>" is the name for the instance of the container.

                EXAMPLE:
                To remove the stopped container "ubuntu01", and everything jrun holds for it,
                from the containers "jrun list" shows:

                       # jrun delete ubuntu01""", "");
        spec.addOption(Options.flag("forcibly deletes the container if it is still running (uses SIGKILL); "
                + "an unknown container is then not an error", "--force", "-f"));
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
