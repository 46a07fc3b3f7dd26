package dev.jrun.cli;

import dev.jrun.runtime.FeaturesReport;
import dev.jrun.spec.SpecWriter;
import dev.jrun.spec.json.JsonStyle;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `features`: what this build implements, from the tables the code itself uses. */
final class FeaturesCommand implements Subcommand {
    @Override
    public String name() {
        return "features";
    }

    @Override
    public CommandSpec spec() {
        return Options.command(name(), "show the enabled features", "", """
                Shows what this jrun implements, as the JSON document the OCI runtime
                specification defines (features.md): the OCI versions, hooks and mount options
                it takes, the namespaces, capabilities, cgroup, seccomp and other Linux features
                it supports, and annotations that describe the build.
                """);
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        ctx.out().write(SpecWriter.write(
                FeaturesReport.build(dev.jrun.runtime.checkpoint.CriuBinary.featureAnnotations(ctx.criu())),
                JsonStyle.FOUR_SPACES));
        ctx.out().println();
        return 0;
    }
}
