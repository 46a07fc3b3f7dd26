package dev.jrun.cli;

import dev.jrun.runtime.container.Containers;
import dev.jrun.spec.SpecReader;
import dev.jrun.spec.model.LinuxResources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `update`: new limits for a running container, from -r FILE|- (LinuxResources JSON) or runc's flags. */
final class UpdateCommand implements Subcommand {
    /** runc's resource flags, in its order, each with what it sets. */
    private static final String[][] FLAGS = {
        {"blkio-weight", "Specifies per cgroup weight, range is from 10 to 1000"},
        {"cpu-period", "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default"},
        {"cpu-quota", "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period"},
        {"cpu-burst", "CPU CFS hardcap burst limit (in usecs). Allowed accumulated cpu time additionally for burst "
            + "a given period"},
        {"cpu-share", "CPU shares (relative weight vs. other containers)"},
        {"cpu-rt-period", "CPU realtime period to be used for hardcapping (in usecs). 0 to use system default"},
        {"cpu-rt-runtime", "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period"},
        {"cpuset-cpus", "CPU(s) to use"},
        {"cpuset-mems", "Memory node(s) to use"},
        {"memory", "Memory limit (in bytes)"},
        {"cpu-idle", "set cgroup SCHED_IDLE or not, 0: default behavior, 1: SCHED_IDLE"},
        {"memory-reservation", "Memory reservation or soft_limit (in bytes)"},
        {"memory-swap", "Total memory usage (memory + swap); set '-1' to enable unlimited swap"},
        {"pids-limit", "Maximum number of pids allowed in the container"},
        {"l3-cache-schema", "The string of Intel RDT/CAT L3 cache schema (refused: jrun has no Intel RDT support)"},
        {"mem-bw-schema", "The string of Intel RDT/MBA memory bandwidth schema (refused: jrun has no Intel RDT "
            + "support)"},
    };

    @Override
    public String name() {
        return "update";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "update container resource constraints", "<container-id>", """
                The new limits are given by the options below, or as JSON read with --resources
                from a file or the standard input: the OCI runtime specification's
                LinuxResources, whose fields left out keep their values, such as:

                  {
                    "memory": {
                      "limit": 0,
                      "reservation": 0,
                      "swap": 0,
                      "checkBeforeUpdate": true
                    },
                    "cpu": {
                      "shares": 0,
                      "quota": 0,
                      "burst": 0,
                      "period": 0,
                      "realtimeRuntime": 0,
                      "realtimePeriod": 0,
                      "cpus": "",
                      "mems": "",
                      "idle": 0
                    },
                    "pids": {
                      "limit": 0
                    },
                    "blockIO": {
                      "weight": 0
                    }
                  }

                Note: if data is to be read from a file or the standard input, all other
                options are ignored.
                """);
        spec.addOption(Options.value("FILE", "path to the file containing the resources to update or '-' to read "
                + "from the standard input", "--resources", "-r"));
        for (String[] flag : FLAGS) {
            spec.addOption(Options.value("VALUE", flag[1], "--" + flag[0]));
        }
        // kernel memory limits are gone from the kernel: runc 1.3 still takes the flags, hidden, and sets nothing
        for (String obsolete : new String[] {"--kernel-memory", "--kernel-memory-tcp"}) {
            spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(obsolete).type(String.class).arity("1")
                    .paramLabel("VALUE").description("(obsoleted; do not use)").hidden(true).build());
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
            for (String[] flag : FLAGS) {
                String v = Options.string(r, "--" + flag[0]);
                if (v != null) {
                    flags.put(flag[0], v);
                }
            }
            update = Containers.resourcesFromFlags(flags);
        }
        ctx.containers().update(Options.id(r), update);
        return 0;
    }
}
