package dev.jrun.cli;

import dev.jrun.runtime.container.Containers;
import dev.jrun.spec.SpecReader;
import dev.jrun.spec.model.LinuxResources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `update`: new limits for a running container, from -r FILE|- (LinuxResources JSON) or runc's flags. */
final class UpdateCommand implements Subcommand {
    private static final List<String> FLAGS = List.of("blkio-weight", "cpu-period", "cpu-quota", "cpu-burst",
            "cpu-share", "cpu-rt-period", "cpu-rt-runtime", "cpuset-cpus", "cpuset-mems", "cpu-idle", "memory",
            "memory-reservation", "memory-swap", "pids-limit", "l3-cache-schema", "mem-bw-schema");

    @Override
    public String name() {
        return "update";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "update the resource limits of a container");
        spec.addOption(Options.value("FILE", "LinuxResources JSON to apply, or - for stdin (other flags are then ignored)",
                "--resources", "-r"));
        for (String flag : FLAGS) {
            spec.addOption(Options.value("VALUE", flag.replace('-', ' '), "--" + flag));
        }
        spec.addPositional(Options.positional("ID", "1", "container id"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        String file = Options.string(r, "--resources");
        // as runc: an unknown container is reported before the resources are read
        ctx.containers().state(Options.id(r));
        LinuxResources update;
        if (file != null) {
            update = file.equals("-") ? SpecReader.readResources(ctx.in().readAllBytes(), "stdin")
                    : SpecReader.readResources(ctx.cwd().resolve(file));
        } else {
            Map<String, String> flags = new LinkedHashMap<>();
            for (String flag : FLAGS) {
                String v = Options.string(r, "--" + flag);
                if (v != null) {
                    flags.put(flag, v);
                }
            }
            update = Containers.resourcesFromFlags(flags);
        }
        ctx.containers().update(Options.id(r), update);
        return 0;
    }
}
