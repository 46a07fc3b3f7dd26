package dev.jrun.cli;

import dev.jrun.runtime.container.JrunException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `ps [--format table|json] ID [ps options]`: json is runc's bare pid array; table filters ps(1). */
final class PsCommand implements Subcommand {
    @Override
    public String name() {
        return "ps";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "ps displays the processes running inside a container", """
                <container-id> [ps options]

                Where "[ps options]" are passed to ps(1), whose output is filtered to the
                container's processes (default: -ef).""", "");
        spec.addOption(Options.value("FORMAT", "select one of: table or json (json: only the process ids) "
                + "(default: \"table\")", "--format", "-f"));
        spec.addPositional(Options.positional("ID", "1", "container id"));
        spec.addPositional(Options.rest("PS_OPTIONS", "options for ps (default -ef)"));
        // everything after the id belongs to ps(1), dashes included
        spec.parser().stopAtPositional(true);
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        String format = Options.string(r, "--format");
        if (format != null && !format.equals("table") && !format.equals("json")) {
            throw new Options.UsageException("invalid format option \"" + format + "\": table or json");
        }
        String[] psArgs = r.matchedPositionalValue(1, new String[0]);
        List<String> positionals = List.of(psArgs);
        List<Integer> pids = ctx.containers().pids(Options.id(r));
        if ("json".equals(format)) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < pids.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(pids.get(i));
            }
            ctx.out().println(sb.append(']'));
            return 0;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("ps");
        cmd.addAll(positionals.isEmpty() ? List.of("-ef") : positionals);
        Process ps = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(ps.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        }
        if (ps.waitFor() != 0) {
            throw new JrunException("ps " + String.join(" ", cmd.subList(1, cmd.size())) + " failed: "
                    + String.join("\n", lines));
        }
        int column = List.of(lines.get(0).trim().split("\\s+")).indexOf("PID");
        if (column < 0) {
            throw new JrunException("couldn't find PID field in ps output");
        }
        Set<String> wanted = new HashSet<>();
        for (int pid : pids) {
            wanted.add(Integer.toString(pid));
        }
        ctx.out().println(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > column && wanted.contains(fields[column])) {
                ctx.out().println(line);
            }
        }
        return 0;
    }
}
