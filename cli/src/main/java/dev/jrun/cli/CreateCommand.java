package dev.jrun.cli;

import dev.jrun.runtime.container.CreateOptions;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** `create`: set the container up and leave its process waiting for `start`. */
final class CreateCommand implements Subcommand {
    @Override
    public String name() {
        return "create";
    }

    @Override
    public CommandSpec spec() {
        return withCreateFlags(Options.command(name(), "create a container", ARGS, """
                The create command creates an instance of a container for a bundle, and leaves
                its process waiting for "jrun start". The bundle is a directory with a
                specification file named "config.json" and a root filesystem.

                The specification's process.args is the command the container runs once
                started; to change it, edit the specification. See "jrun spec --help".
                """));
    }

    static final String ARGS = """
            <container-id>

            Where "<container-id>" is your name for the new instance of the container. It
            must be unique on this host.""";

    /** The flags `create` and `run` share, in runc's order; run's own come after --pidfd-socket. */
    static CommandSpec withCreateFlags(CommandSpec spec, OptionSpec... runFlags) {
        spec.addOption(Options.value("DIR", "path to the root of the bundle directory (default: the current directory)",
                "--bundle", "-b"));
        spec.addOption(Options.value("PATH", CONSOLE_SOCKET, "--console-socket"));
        spec.addOption(Options.value("PATH", "path to an AF_UNIX socket which will receive a file descriptor "
                + "referencing the init process", "--pidfd-socket"));
        for (OptionSpec flag : runFlags) {
            spec.addOption(flag);
        }
        spec.addOption(Options.value("FILE", PID_FILE, "--pid-file"));
        spec.addOption(Options.flag(NO_PIVOT, "--no-pivot"));
        spec.addOption(Options.flag("do not create a new session keyring for the container: it inherits the "
                + "session keyring of the calling process", "--no-new-keyring"));
        spec.addOption(Options.value("N", PRESERVE_FDS, "--preserve-fds"));
        spec.addPositional(Options.positional("ID", "1", "container id"));
        return spec;
    }

    static final String CONSOLE_SOCKET = "path to an AF_UNIX socket which will receive a file descriptor "
            + "referencing the master end of the console's pseudoterminal";
    static final String PID_FILE = "specify the file to write the process id to";
    static final String NO_SUBREAPER = "disable the use of the subreaper used to reap reparented processes (jrun "
            + "uses none: accepted as runc does, and has no effect)";
    static final String NO_PIVOT = "do not use pivot_root to jail the process inside rootfs (MS_MOVE and chroot "
            + "instead); needed when the rootfs is on a ramdisk";
    static final String PRESERVE_FDS = "pass N additional file descriptors to the container (stdio + $LISTEN_FDS "
            + "+ N in total) (default: 0)";

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
