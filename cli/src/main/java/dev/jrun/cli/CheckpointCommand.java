package dev.jrun.cli;

import dev.jrun.runtime.checkpoint.CriuOptions;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `checkpoint`: save a running container's processes with CRIU (runc's flags). */
final class CheckpointCommand implements Subcommand {
    @Override
    public String name() {
        return "checkpoint";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = withCriuFlags(Options.command(name(), "checkpoint a running container"));
        spec.addOption(Options.value("DIR", "pre-dump images to build on, relative to --image-path", "--parent-path"));
        spec.addOption(Options.flag("leave the process running after checkpointing", "--leave-running"));
        spec.addOption(Options.flag("skip in-flight tcp connections", "--tcp-skip-in-flight"));
        spec.addOption(Options.flag("allow one to link unlinked files back when possible", "--link-remap"));
        spec.addOption(Options.flag("dump the container's memory only, leave it running (needs soft-dirty tracking)",
                "--pre-dump"));
        spec.addOption(Options.value("ADDRESS:PORT", "send memory pages to the page server at ADDRESS:PORT",
                "--page-server"));
        spec.addOption(Options.value("FD", "criu writes \\0 to this FD once lazy-pages is ready", "--status-fd"));
        spec.addPositional(Options.positional("ID", "1", "container id"));
        return spec;
    }

    /** The flags checkpoint and restore share. */
    static CommandSpec withCriuFlags(CommandSpec spec) {
        spec.addOption(Options.value("DIR", "directory of the criu images (default: ./checkpoint)", "--image-path"));
        spec.addOption(Options.value("DIR", "directory for criu's work files and log (default: the image directory)",
                "--work-path"));
        spec.addOption(Options.flag("allow open tcp connections", "--tcp-established"));
        spec.addOption(Options.flag("allow external unix sockets", "--ext-unix-sk"));
        spec.addOption(Options.flag("allow shell jobs", "--shell-job"));
        spec.addOption(Options.flag("handle file locks, for safety", "--file-locks"));
        spec.addOption(Options.value("MODE", "cgroups mode: soft|full|strict|ignore (default: soft)",
                "--manage-cgroups-mode"));
        spec.addOption(Options.repeated("NS", "create a namespace, but don't restore its properties (network)",
                "--empty-ns"));
        spec.addOption(Options.flag("enable auto deduplication of memory images", "--auto-dedup"));
        spec.addOption(Options.flag("use userfaultfd to lazily restore memory pages", "--lazy-pages"));
        return spec;
    }

    /**
     * Relative paths are taken from the current directory now: CRIU works elsewhere, and runc
     * 1.1 handed them over as they were, which failed.
     */
    static CriuOptions criuOptions(ParseResult r) throws Options.UsageException {
        String image = Options.string(r, "--image-path");
        String work = Options.string(r, "--work-path");
        return new CriuOptions(Path.of(image == null || image.isEmpty() ? "checkpoint" : image).toAbsolutePath(),
                work == null || work.isEmpty() ? null : Path.of(work).toAbsolutePath(),
                blankToNull(Options.string(r, "--parent-path")),
                Options.isSet(r, "--leave-running"), Options.isSet(r, "--tcp-established"),
                Options.isSet(r, "--tcp-skip-in-flight"), Options.isSet(r, "--link-remap"),
                Options.isSet(r, "--ext-unix-sk"), Options.isSet(r, "--shell-job"), Options.isSet(r, "--file-locks"),
                Options.isSet(r, "--pre-dump"), blankToNull(Options.string(r, "--manage-cgroups-mode")),
                List.of(r.matchedOptionValue("--empty-ns", new String[0])), Options.isSet(r, "--auto-dedup"),
                blankToNull(Options.string(r, "--page-server")),
                Options.string(r, "--status-fd") == null ? -1 : Options.integer(r, "--status-fd", -1),
                Options.isSet(r, "--lazy-pages"), blankToNull(Options.string(r, "--lsm-profile")),
                blankToNull(Options.string(r, "--lsm-mount-context")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        ctx.containers().checkpoint(Options.id(r), criuOptions(r), ctx.criu());
        return 0;
    }
}
