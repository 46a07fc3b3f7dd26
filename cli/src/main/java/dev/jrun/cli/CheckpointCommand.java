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
        CommandSpec spec = Options.command(name(), "checkpoint a running container", """
                <container-id>

                Where "<container-id>" is the name for the instance of the container to be
                checkpointed.""", """
                The checkpoint command saves the state of the container instance with CRIU.
                Unless it is left running or only pre-dumped, the container is then deleted.""");
        spec.addOption(Options.value("DIR", "path for saving criu image files (default: \"checkpoint\" in the current "
                + "directory)", "--image-path"));
        spec.addOption(Options.value("DIR", WORK_PATH, "--work-path"));
        spec.addOption(Options.value("DIR", "path for previous criu image files in pre-dump, relative to "
                + "--image-path", "--parent-path"));
        spec.addOption(Options.flag("leave the process running after checkpointing", "--leave-running"));
        spec.addOption(Options.flag(TCP_ESTABLISHED, "--tcp-established"));
        spec.addOption(Options.flag("skip in-flight tcp connections", "--tcp-skip-in-flight"));
        spec.addOption(Options.flag("allow one to link unlinked files back when possible", "--link-remap"));
        spec.addOption(Options.flag(EXT_UNIX_SK, "--ext-unix-sk"));
        spec.addOption(Options.flag(SHELL_JOB, "--shell-job"));
        spec.addOption(Options.flag(LAZY_PAGES, "--lazy-pages"));
        spec.addOption(Options.value("FD", "criu writes \\0 to this FD once lazy-pages is ready", "--status-fd"));
        spec.addOption(Options.value("ADDRESS:PORT", "ADDRESS:PORT of the page server", "--page-server"));
        spec.addOption(Options.flag(FILE_LOCKS, "--file-locks"));
        spec.addOption(Options.flag("dump container's memory information only, leave the container running after "
                + "this", "--pre-dump"));
        spec.addOption(Options.value("MODE", MANAGE_CGROUPS_MODE, "--manage-cgroups-mode"));
        spec.addOption(Options.repeated("NAMESPACE", EMPTY_NS, "--empty-ns"));
        spec.addOption(Options.flag(AUTO_DEDUP, "--auto-dedup"));
        spec.addPositional(Options.positional("ID", "1", "container id"));
        return spec;
    }

    // what checkpoint and restore both take, in the same words
    static final String WORK_PATH = "path for saving work files and logs (default: the image path)";
    static final String TCP_ESTABLISHED = "allow open tcp connections";
    static final String EXT_UNIX_SK = "allow external unix sockets";
    static final String SHELL_JOB = "allow shell jobs";
    static final String FILE_LOCKS = "handle file locks, for safety";
    static final String LAZY_PAGES = "use userfaultfd to lazily restore memory pages";
    static final String MANAGE_CGROUPS_MODE = "cgroups mode: soft|full|strict|ignore (default: soft)";
    static final String EMPTY_NS = "create a namespace, but don't restore its properties (only \"network\")";
    static final String AUTO_DEDUP = "enable auto deduplication of memory images";

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
