package dev.jrun.cli;

import dev.jrun.runtime.container.Containers;
import dev.jrun.runtime.container.StateDocuments;
import dev.jrun.spec.json.GoJson;
import dev.jrun.spec.json.JsonStyle;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `list`: runc's table (tabwriter with min width 12, padding 3) or its JSON array. */
final class ListCommand implements Subcommand {
    @Override
    public String name() {
        return "list";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "lists containers started by jrun with the given root", """

                Where the given root is specified via the global option "--root"
                (default: "%s").

                EXAMPLE 1:
                To list containers created via the default "--root":
                       # jrun list

                EXAMPLE 2:
                To list containers created using a non-default value for "--root":
                       # jrun --root value list""".formatted(Main.DEFAULT_ROOT), "");
        spec.addOption(Options.value("FORMAT", "select one of: table or json (default: \"table\")", "--format", "-f"));
        spec.addOption(Options.flag("display only container IDs", "--quiet", "-q"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        String format = Options.string(r, "--format");
        if (format != null && !format.equals("table") && !format.equals("json")) {
            throw new Options.UsageException("invalid format option \"" + format + "\": table or json");
        }
        List<Containers.View> views = ctx.containers().list();
        if (Options.isSet(r, "--quiet")) {
            for (Containers.View v : views) {
                ctx.out().println(v.state().id());
            }
        } else if ("json".equals(format)) {
            if (views.isEmpty()) {
                ctx.out().println("null");
            } else {
                GoJson json = GoJson.create(JsonStyle.COMPACT).beginArray();
                for (Containers.View v : views) {
                    StateDocuments.runcState(json, v.state(), v.status());
                }
                ctx.out().write(json.endArray().toBytes());
                ctx.out().println();
            }
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"});
            for (Containers.View v : views) {
                int pid = v.status() == dev.jrun.runtime.container.Status.STOPPED ? 0 : v.state().pid();
                rows.add(new String[] {v.state().id(), Integer.toString(pid), v.status().word, v.state().bundle(),
                        v.state().created(), v.state().owner()});
            }
            ctx.out().print(table(rows));
        }
        return 0;
    }

    /** Go's text/tabwriter with minwidth 12, padding 3, the last column unpadded. */
    static String table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] row : rows) {
            for (int c = 0; c < cols - 1; c++) {
                width[c] = Math.max(width[c], Math.max(12, row[c].length() + 3));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < cols; c++) {
                sb.append(row[c]);
                if (c < cols - 1) {
                    sb.append(" ".repeat(width[c] - row[c].length()));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
