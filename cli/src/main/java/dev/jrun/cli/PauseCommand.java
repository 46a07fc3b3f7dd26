package dev.jrun.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `pause` and `resume`: freeze and thaw every process of the container. */
final class PauseCommand implements Subcommand {
    private final boolean pause;

    PauseCommand(boolean pause) {
        this.pause = pause;
    }

    @Override
    public String name() {
        return pause ? "pause" : "resume";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = pause
                ? Options.command(name(), "pause suspends all processes inside the container", """
                        <container-id>

                        Where "<container-id>" is the name for the instance of the container to be
                        paused.""", """
                        The pause command suspends all processes in the instance of the container.

                        Use jrun list to identify instances of containers and their current status.""")
                : Options.command(name(), "resumes all processes that have been previously paused", """
                        <container-id>

                        Where "<container-id>" is the name for the instance of the container to be
                        resumed.""", """
                        The resume command resumes all processes in the instance of the container.

                        Use jrun list to identify instances of containers and their current status.""");
        spec.addPositional(Options.positional("ID", "1", "container id"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        if (pause) {
            ctx.containers().pause(Options.id(r));
        } else {
            ctx.containers().resume(Options.id(r));
        }
        return 0;
    }
}
