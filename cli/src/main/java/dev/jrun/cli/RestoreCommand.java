package dev.jrun.cli;

import dev.jrun.runtime.container.RestoreOptions;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `restore`: a container from a checkpoint's images (runc's flags). */
final class RestoreCommand implements Subcommand {
    @Override
    public String name() {
        return "restore";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "restore a container from a previous checkpoint", """
                <container-id>

                Where "<container-id>" is the name for the instance of the container to be
                restored.""", """
                Restores the saved state of the container instance that was previously saved
                using the jrun checkpoint command.""");
        spec.addOption(Options.value("PATH", CreateCommand.CONSOLE_SOCKET, "--console-socket"));
        spec.addOption(Options.value("DIR", "path to criu image files for restoring (default: \"checkpoint\" in the "
                + "current directory)", "--image-path"));
        spec.addOption(Options.value("DIR", CheckpointCommand.WORK_PATH, "--work-path"));
        spec.addOption(Options.flag(CheckpointCommand.TCP_ESTABLISHED, "--tcp-established"));
        spec.addOption(Options.flag(CheckpointCommand.EXT_UNIX_SK, "--ext-unix-sk"));
        spec.addOption(Options.flag(CheckpointCommand.SHELL_JOB, "--shell-job"));
        spec.addOption(Options.flag(CheckpointCommand.FILE_LOCKS, "--file-locks"));
        spec.addOption(Options.value("MODE", CheckpointCommand.MANAGE_CGROUPS_MODE, "--manage-cgroups-mode"));
        spec.addOption(Options.value("DIR", "path to the root of the bundle directory (default: the current directory)",
                "--bundle", "-b"));
        spec.addOption(Options.flag(RunCommand.DETACH, "--detach", "-d"));
        spec.addOption(Options.value("FILE", CreateCommand.PID_FILE, "--pid-file"));
        spec.addOption(Options.flag(CreateCommand.NO_SUBREAPER, "--no-subreaper"));
        spec.addOption(Options.flag("do not use pivot_root to jail the process inside rootfs (accepted as runc "
                + "does, and has no effect: CRIU sets up the restored root)", "--no-pivot"));
        spec.addOption(Options.repeated("NAMESPACE", CheckpointCommand.EMPTY_NS, "--empty-ns"));
        spec.addOption(Options.flag(CheckpointCommand.AUTO_DEDUP, "--auto-dedup"));
        spec.addOption(Options.flag(CheckpointCommand.LAZY_PAGES, "--lazy-pages"));
        spec.addOption(Options.value("TYPE:NAME", "specify an LSM profile to be used during restore in the form of "
                + "TYPE:NAME", "--lsm-profile"));
        spec.addOption(Options.value("CONTEXT", "specify an LSM mount context to be used during restore",
                "--lsm-mount-context"));
        spec.addPositional(Options.positional("ID", "1", "container id"));
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        String bundle = Options.string(r, "--bundle");
        String socket = Options.string(r, "--console-socket");
        String pidFile = Options.string(r, "--pid-file");
        RestoreOptions options = new RestoreOptions(Path.of(bundle == null ? "" : bundle).toAbsolutePath(),
                pidFile == null ? null : Path.of(pidFile), socket == null ? null : Path.of(socket),
                Options.isSet(r, "--detach"), Options.isSet(r, "--no-pivot"));
        return ctx.containers().restore(Options.id(r), options, CheckpointCommand.criuOptions(r), ctx.criu());
    }
}
