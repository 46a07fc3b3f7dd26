package dev.jrun.cli;

import dev.jrun.runtime.container.CreateOptions;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** `create`: set the container up and leave its process waiting for `start`. */
final class CreateCommand implements Subcommand {
    @Override
    public String name() {
        return "create";
    }

    @Override
    public CommandSpec spec() {
        return withCreateFlags(Options.command(name(), "create a container"));
    }

    /** The flags `create` and `run` share. */
    static CommandSpec withCreateFlags(CommandSpec spec) {
        spec.addOption(Options.value("DIR", "path to the bundle (default: the current directory)", "--bundle", "-b"));
        spec.addOption(Options.value("PATH", "unix socket to send the pty master to", "--console-socket"));
        spec.addOption(Options.value("FILE", "write the container's host pid to FILE", "--pid-file"));
        spec.addOption(Options.flag("use MS_MOVE and chroot instead of pivot_root", "--no-pivot"));
        spec.addOption(Options.flag("do not create a new session keyring", "--no-new-keyring"));
        spec.addOption(Options.value("N", "pass N more fds (3..3+N-1) to the container", "--preserve-fds"));
        spec.addOption(Options.value("PATH", "unix socket to send a pidfd of the container's process to",
                "--pidfd-socket"));
        spec.addPositional(Options.positional("ID", "1", "container id"));
        return spec;
    }

    static CreateOptions createOptions(ParseResult r, Path cwd) throws Options.UsageException {
        String bundle = Options.string(r, "--bundle");
        String socket = Options.string(r, "--console-socket");
        String pidFile = Options.string(r, "--pid-file");
        String pidfdSocket = Options.string(r, "--pidfd-socket");
        // relative paths are the caller's: the jrun server runs in another directory
        return new CreateOptions(cwd.resolve(bundle == null ? "" : bundle).toAbsolutePath(),
                pidFile == null ? null : cwd.resolve(pidFile), socket == null ? null : cwd.resolve(socket),
                Options.isSet(r, "--no-pivot"), Options.isSet(r, "--no-new-keyring"),
                Options.integer(r, "--preserve-fds", 0), pidfdSocket == null ? null : cwd.resolve(pidfdSocket));
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        ctx.containers().create(Options.id(r), createOptions(r, ctx.cwd()));
        return 0;
    }
}
