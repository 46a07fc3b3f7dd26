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
        CommandSpec spec = Options.command(name(), pause ? "suspend every process in the container"
                : "resume every process in a paused container");
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
