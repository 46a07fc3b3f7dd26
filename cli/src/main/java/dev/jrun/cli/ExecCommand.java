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
        CommandSpec spec = Options.command(name(), "run another process in a running container");
        spec.addOption(Options.value("FILE", "a runtime-spec process JSON (other process flags are ignored)",
                "--process", "-p"));
        spec.addOption(Options.flag("allocate a pseudo-TTY", "--tty", "-t"));
        spec.addOption(Options.flag("detach from the process", "--detach", "-d"));
        spec.addOption(Options.repeated("K=V", "set an environment variable", "--env", "-e"));
        spec.addOption(Options.value("DIR", "current working directory in the container", "--cwd"));
        spec.addOption(Options.value("UID[:GID]", "user to run as", "--user", "-u"));
        spec.addOption(Options.repeated("GID", "additional group", "--additional-gids", "-g"));
        spec.addOption(Options.repeated("CAP", "add a capability", "--cap", "-c"));
        spec.addOption(Options.flag("set no_new_privs", "--no-new-privs"));
        spec.addOption(Options.value("PROFILE", "AppArmor profile", "--apparmor"));
        spec.addOption(Options.value("LABEL", "SELinux process label", "--process-label"));
        spec.addOption(Options.repeated("[CONTROLLER:]PATH",
                "run the process in an existing sub-cgroup of the container's (repeat per controller)", "--cgroup"));
        spec.addOption(Options.flag("exec even if the container is paused", "--ignore-paused"));
        spec.addOption(Options.value("FILE", "write the process's host pid to FILE", "--pid-file"));
        spec.addOption(Options.value("PATH", "unix socket to send the pty master to", "--console-socket"));
        spec.addOption(Options.value("N", "pass N more fds (3..3+N-1) to the process", "--preserve-fds"));
        spec.addOption(Options.value("PATH", "unix socket to send a pidfd of the process to", "--pidfd-socket"));
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
