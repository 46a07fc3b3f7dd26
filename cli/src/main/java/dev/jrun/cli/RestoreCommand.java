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
        CommandSpec spec = CheckpointCommand.withCriuFlags(
                Options.command(name(), "restore a container from a previous checkpoint"));
        spec.addOption(Options.value("DIR", "path to the bundle (default: the current directory)", "--bundle", "-b"));
        spec.addOption(Options.value("PATH", "unix socket to send the pty master to", "--console-socket"));
        spec.addOption(Options.flag("detach from the container's process", "--detach", "-d"));
        spec.addOption(Options.value("FILE", "write the container's host pid to FILE", "--pid-file"));
        spec.addOption(Options.flag("accepted for runc compatibility (jrun does not make itself a subreaper)",
                "--no-subreaper"));
        spec.addOption(Options.flag("accepted for runc compatibility (CRIU sets up the restored root)", "--no-pivot"));
        spec.addOption(Options.value("TYPE:NAME", "LSM profile to restore the processes with", "--lsm-profile"));
        spec.addOption(Options.value("CONTEXT", "LSM mount context to restore the mounts with", "--lsm-mount-context"));
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
