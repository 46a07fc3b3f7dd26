package dev.jrun.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * `server status|stop`, as it runs in-process: a running jrun server answers these itself,
 * so reaching this means no server serves this call.
 */
final class ServerCommand implements Subcommand {
    @Override
    public String name() {
        return "server";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "show or stop the jrun server for this state root", """
                [status|stop]

                Where "status" (the default) shows the server that serves calls for this state
                root, and "stop" stops it; calls go on, in-process, until the next one starts a
                server again.""", """
                The jrun server is a warm JVM that runs jrun's calls for the small bin/jrun front
                end; it exits by itself after 60 seconds without a call. JRUN_NO_SERVER=1 turns
                it off: every call then runs in its own JVM.""");
        spec.addPositional(Options.positional("ACTION", "0..1", "status (default) or stop"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        String action = r.matchedPositionals().isEmpty() ? "status" : r.matchedPositionals().get(0).getValue();
        switch (action) {
            case "status":
                ctx.out().println("no jrun server serves this call (none running for " + ctx.root()
                        + ", or JRUN_NO_SERVER is set)");
                return 1;
            case "stop":
                return 0;
            default:
                throw new Options.UsageException("server: unknown action \"" + action + "\": status or stop");
        }
    }
}
