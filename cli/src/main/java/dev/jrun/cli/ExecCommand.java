package dev.jrun.cli;

import dev.jrun.runtime.container.ExecOptions;
import dev.jrun.runtime.container.JrunException;
import dev.jrun.runtime.container.ExecProcess;
import dev.jrun.spec.SpecReader;
import dev.jrun.spec.model.Process;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * `exec`: containerd's form (--process FILE, a runtime-spec process; a tty is its "terminal")
 * and runc's flag form (exec [flags] ID COMMAND [ARGS...]).
 */
final class ExecCommand implements Subcommand {
    @Override
    public String name() {
        return "exec";
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "execute new process inside the container", """
                <container-id> <command> [command options]  || -p process.json <container-id>

                Where "<container-id>" is the name for the instance of the container and
                "<command>" is the command to be executed in the container, with its own
                options. "<command>" can't be empty unless a "-p" flag is provided.

                EXAMPLE:
                To list the processes running in the container with the container's ps:

                       # jrun exec <container-id> ps""", "");
        spec.addOption(Options.value("PATH", CreateCommand.CONSOLE_SOCKET, "--console-socket"));
        spec.addOption(Options.value("PATH", "path to an AF_UNIX socket which will receive a file descriptor "
                + "referencing the exec process", "--pidfd-socket"));
        spec.addOption(Options.value("DIR", "current working directory in the container", "--cwd"));
        spec.addOption(Options.repeated("NAME=VALUE", "set environment variables", "--env", "-e"));
        spec.addOption(Options.flag("allocate a pseudo-TTY", "--tty", "-t"));
        spec.addOption(Options.value("UID[:GID]", "UID (format: <uid>[:<gid>])", "--user", "-u"));
        spec.addOption(Options.repeated("GID", "additional gids", "--additional-gids", "-g"));
        spec.addOption(Options.value("FILE", "path to the process.json, a runtime-spec process (the other process "
                + "flags are then ignored)", "--process", "-p"));
        spec.addOption(Options.flag(RunCommand.DETACH, "--detach", "-d"));
        spec.addOption(Options.value("FILE", CreateCommand.PID_FILE, "--pid-file"));
        spec.addOption(Options.value("LABEL", "set the asm process label for the process commonly used with selinux",
                "--process-label"));
        spec.addOption(Options.value("PROFILE", "set the apparmor profile for the process", "--apparmor"));
        spec.addOption(Options.flag("set the no new privileges value for the process", "--no-new-privs"));
        spec.addOption(Options.repeated("CAP", "add a capability to the bounding set for the process", "--cap", "-c"));
        spec.addOption(Options.value("N", CreateCommand.PRESERVE_FDS, "--preserve-fds"));
        spec.addOption(Options.repeated("[CONTROLLER:]CGROUP", "run the process in an (existing) sub-cgroup(s). "
                + "Format is [<controller>:]<cgroup>.", "--cgroup"));
        spec.addOption(Options.flag("allow exec in a paused container", "--ignore-paused"));
        spec.addPositional(Options.positional("ID", "1", "container id"));
        spec.addPositional(Options.rest("COMMAND", "command and arguments"));
        // the command's own flags are not ours
        spec.parser().stopAtPositional(true);
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        String id = Options.id(r);
        String processFile = Options.string(r, "--process");
        String[] command = r.matchedPositionalValue(1, new String[0]);
        ExecOptions options = new ExecOptions(Options.isSet(r, "--detach"), path(ctx, Options.string(r, "--pid-file")),
                path(ctx, Options.string(r, "--console-socket")), Options.integer(r, "--preserve-fds", 0),
                List.of(r.matchedOptionValue("--cgroup", new String[0])), Options.isSet(r, "--ignore-paused"),
                path(ctx, Options.string(r, "--pidfd-socket")));
        Process process = null;
        if (processFile != null) {
            process = SpecReader.readProcess(ctx.cwd().resolve(processFile));
        } else if (command.length == 0) {
            throw new Options.UsageException("exec: a command is required (exec [flags] ID COMMAND [ARGS...])");
        }
        List<Long> gids = new ArrayList<>();
        for (String g : r.matchedOptionValue("--additional-gids", new String[0])) {
            try {
                gids.add(Long.parseLong(g.trim()));
            } catch (NumberFormatException e) {
                throw new Options.UsageException("invalid --additional-gids \"" + g + "\": must be a number");
            }
        }
        ExecProcess flags = new ExecProcess(List.of(command), Options.isSet(r, "--tty"),
                List.of(r.matchedOptionValue("--env", new String[0])), Options.string(r, "--cwd"),
                Options.string(r, "--user"), gids, List.of(r.matchedOptionValue("--cap", new String[0])),
                Options.isSet(r, "--no-new-privs"), Options.string(r, "--apparmor"),
                Options.string(r, "--process-label"));
        try {
            return ctx.containers().exec(id, process, processFile, flags, options);
        } catch (JrunException e) {
            // as runc: every failure to start the process exits 255, a missing command too
            // (podman and docker tell "not found" from the message, not the status)
            throw new JrunException(e.getMessage(), EXEC_FAILED);
        } catch (java.io.IOException e) {
            throw new JrunException(Main.ioMessage(e), EXEC_FAILED);
        }
    }

    static final int EXEC_FAILED = 255;

    /** A path the caller named: relative to its cwd, which the jrun server does not share. */
    private static Path path(Context ctx, String s) {
        return s == null ? null : ctx.cwd().resolve(s);
    }
}
