package dev.jrun.cli;

import dev.jrun.runtime.container.Containers;
import dev.jrun.runtime.container.StateDocuments;
import dev.jrun.spec.json.GoJson;
import dev.jrun.spec.json.JsonStyle;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `state`: runc's state JSON. */
final class StateCommand implements Subcommand {
    @Override
    public String name() {
        return "state";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "output the state of a container", """
                <container-id>

                Where "<container-id>" is the name for the instance of the container.""", """
                The state command outputs current state information for the instance of a
                container, as JSON.""");
        spec.addPositional(Options.positional("ID", "1", "container id"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        Containers.View v = ctx.containers().state(Options.id(r));
        GoJson json = GoJson.create(JsonStyle.TWO_SPACES);
        StateDocuments.runcState(json, v.state(), v.status());
        ctx.out().write(json.toBytes());
        ctx.out().println();
        return 0;
    }
}
