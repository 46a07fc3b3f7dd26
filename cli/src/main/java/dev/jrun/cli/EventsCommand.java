package dev.jrun.cli;

import dev.jrun.runtime.cgroups.CgroupStats;
import dev.jrun.runtime.container.Containers;
import dev.jrun.runtime.container.JrunException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * `events [--stats] [--interval D] ID`: runc's JSON events.  Stats every interval, an "oom"
 * event whenever the kernel OOM-kills in the container, until the container stops.
 */
final class EventsCommand implements Subcommand {
    /** How often the OOM counter is read between stats. */
    private static final long OOM_POLL_MILLIS = 100;

    @Override
    public String name() {
        return "events";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(),
                "display container events such as OOM notifications, cpu, memory, and IO usage statistics", """
                <container-id>

                Where "<container-id>" is the name for the instance of the container.""", """
                The events command displays information about the container, as JSON lines:
                its statistics once every interval (5 seconds by default), and an "oom" event
                whenever the kernel kills one of its processes for lack of memory, until the
                container stops.""");
        spec.addOption(Options.value("DURATION", "set the stats collection interval, such as 5s, 500ms or 1m "
                + "(default: 5s)", "--interval"));
        spec.addOption(Options.flag("display the container's stats then exit", "--stats"));
        spec.addPositional(Options.positional("ID", "1", "container id"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        String id = Options.id(r);
        Containers containers = ctx.containers();
        long interval = duration(r.matchedOptionValue("--interval", "5s"));
        CgroupStats stats = containers.stats(id);
        if (r.hasMatchedOption("--stats")) {
            ctx.out().println(EventJson.stats(id, stats));
            return 0;
        }
        long ooms = stats.oomKills();
        long nextStats = System.currentTimeMillis();
        while (containers.alive(id)) {
            if (System.currentTimeMillis() >= nextStats) {
                ctx.out().println(EventJson.stats(id, stats));
                ctx.out().flush();
                nextStats += interval;
            }
            Thread.sleep(Math.min(OOM_POLL_MILLIS, Math.max(1, nextStats - System.currentTimeMillis())));
            try {
                stats = containers.stats(id);
            } catch (JrunException e) {
                break; // stopped meanwhile
            }
            if (stats.oomKills() > ooms) {
                ooms = stats.oomKills();
                ctx.out().println(EventJson.oom(id));
                ctx.out().flush();
            }
        }
        return 0;
    }

    /** Go's time.ParseDuration for the units people use here. */
    static long duration(String text) throws Options.UsageException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+(?:\\.\\d+)?)(ms|s|m|h)$").matcher(text.trim());
        if (!m.matches()) {
            throw new Options.UsageException("invalid --interval \"" + text + "\": a duration such as 5s or 500ms");
        }
        double n = Double.parseDouble(m.group(1));
        long millis = (long) (n * switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            default -> 3_600_000;
        });
        if (millis <= 0) {
            throw new Options.UsageException("invalid --interval \"" + text + "\": must be positive");
        }
        return millis;
    }
}
