package dev.jrun.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `kill [--all] ID [SIGNAL]`, SIGTERM by default. */
final class KillCommand implements Subcommand {
    @Override
    public String name() {
        return "kill";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(),
                "kill sends the specified signal (default: SIGTERM) to the container's init process", """
                <container-id> [signal]

                Where "<container-id>" is the name for the instance of the container and
                "[signal]" is the signal to send, by name (KILL or SIGKILL) or number.

                EXAMPLE:
                To send KILL to the init process of the container "ubuntu01":

                       # jrun kill ubuntu01 KILL""", "");
        spec.addOption(Options.flag("send the specified signal to all processes inside the container", "--all",
                "-a"));
        spec.addPositional(Options.positional("ID", "1", "container id"));
        spec.addPositional(Options.second("SIGNAL", "0..1", "signal name or number (default TERM)"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        String sig = r.matchedPositionalValue(1, "TERM");
        int signal;
        try {
            signal = Signals.parse(sig);
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException(e.getMessage());
        }
        ctx.containers().kill(Options.id(r), signal, Options.isSet(r, "--all"));
        return 0;
    }
}
