package dev.jrun.cli;

import dev.jrun.runtime.container.JrunException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** The jrun command line: runc's global flags, then one subcommand. */
public final class Main {
    static final String DEFAULT_ROOT = "/run/jrun";

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        int status = run(args, out, System.err);
        out.flush();
        System.exit(status);
    }

    /** Every command, in the order runc's help lists them; jrun's own and help last. */
    static List<Subcommand> subcommands() {
        return List.of(new CheckpointCommand(), new CreateCommand(), new DeleteCommand(), new EventsCommand(),
                new ExecCommand(), new KillCommand(), new ListCommand(), new PauseCommand(true), new PsCommand(),
                new RestoreCommand(), new PauseCommand(false), new RunCommand(), new SpecCommand(), new StartCommand(),
                new StateCommand(), new UpdateCommand(), new FeaturesCommand(), new ValidateCommand(),
                new HelpCommand());
    }

    /** One subcommand by name, or null: a call builds only the flags of the command it runs. */
    static Subcommand subcommand(String name) {
        switch (name) {
            case "create": return new CreateCommand();
            case "start": return new StartCommand();
            case "run": return new RunCommand();
            case "state": return new StateCommand();
            case "list": return new ListCommand();
            case "kill": return new KillCommand();
            case "delete": return new DeleteCommand();
            case "exec": return new ExecCommand();
            case "pause": return new PauseCommand(true);
            case "resume": return new PauseCommand(false);
            case "ps": return new PsCommand();
            case "update": return new UpdateCommand();
            case "events": return new EventsCommand();
            case "spec": return new SpecCommand();
            case "features": return new FeaturesCommand();
            case "validate": return new ValidateCommand();
            case "checkpoint": return new CheckpointCommand();
            case "restore": return new RestoreCommand();
            case "server": return new ServerCommand();
            default: return null;
        }
    }

    /** jrun's global flags, in the order runc's help lists them, and the commands given. */
    static CommandSpec rootSpec(List<Subcommand> subs) {
        CommandSpec root = CommandSpec.create().name("jrun");
        root.usageMessage().header("Open Container Initiative runtime").description(DESCRIPTION.split("\n", -1));
        root.addOption(Options.flag("enable debug logging", "--debug"));
        root.addOption(Options.value("FILE", "set the log file to write jrun logs to (default is '/dev/stderr')",
                "--log"));
        root.addOption(Options.value("FORMAT", "set the log format ('text' (default), or 'json')", "--log-format"));
        root.addOption(Options.value("DIR", "root directory for storage of container state (this should be located "
                + "in tmpfs) (default: \"" + DEFAULT_ROOT + "\")", "--root"));
        root.addOption(Options.value("PATH", "path to the criu binary used for checkpoint and restore (default: "
                + "\"criu\", found in $PATH)", "--criu"));
        root.addOption(Options.flag("enable systemd cgroup support, with cgroupsPath of the form "
                + "\"slice:prefix:name\" (jrun has no systemd driver yet: create and run refuse it)",
                "--systemd-cgroup"));
        root.addOption(Options.value("VALUE", "ignore cgroup permission errors ('true', 'false', or 'auto'): accepted "
                + "as runc does, and has no effect", "--rootless"));
        // read by the front end (bin/jrun), which then runs the call in its own JVM
        root.addOption(Options.flag("run this call in its own JVM, without the jrun server (as JRUN_NO_SERVER=1 does)",
                "--no-server"));
        root.addOption(Options.help());
        root.addOption(Options.flag("print the version", "--version", "-v"));
        for (Subcommand s : subs) {
            root.addSubcommand(s.name(), s.spec());
        }
        return root;
    }

    private static final String DESCRIPTION = """
            jrun is a command line client for running applications packaged according to
            the Open Container Initiative (OCI) format, and an implementation of the OCI
            runtime specification. It is a drop-in replacement for runc: the same commands,
            options, outputs and exit statuses, so container managers such as containerd,
            Docker and Podman can run their containers with it.

            Containers are configured using bundles. A bundle for a container is a directory
            that includes a specification file named "config.json" and a root filesystem.
            The root filesystem contains the contents of the container.

            To start a new instance of a container:

                # jrun run [ -b bundle ] <container-id>

            Where "<container-id>" is your name for the instance of the container that you
            are starting, unique on your host. Providing the bundle directory using "-b" is
            optional. The default value for "bundle" is the current directory.

            "jrun help <command>" (or "jrun <command> -h") shows the options of a command.""";

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, Path.of(""), System.in, null, out, err);
    }

    /**
     * A call as the jrun server runs it for a front end: relative paths are the caller's,
     * resolved against its cwd, and stdin is the caller's.
     *
     * @param host the machine as seen from the caller (processes are started by the front end)
     */
    public static int serve(String[] args, Path cwd, InputStream in, dev.jrun.runtime.container.Host host,
            PrintStream out, PrintStream err) {
        return run(args, cwd, in, host, out, err);
    }

    /** The subcommand a call names ("" for none) and its --root (null for the default). */
    public static String[] subcommandAndRoot(String[] args) {
        String[] normalized = LongFlags.normalize(args);
        int at = LongFlags.subcommandIndex(normalized);
        return new String[] {at < 0 ? "" : normalized[at], LongFlags.globalValue(normalized, "root")};
    }

    private static int run(String[] args, Path cwd, InputStream in, dev.jrun.runtime.container.Host host,
            PrintStream out, PrintStream err) {
        // picocli would otherwise load and initialize java.time and java.sql on every call, for
        // converters of types jrun never uses (all our options are strings)
        System.setProperty("picocli.converters.excludes", ".*");
        String[] normalized = LongFlags.normalize(args);
        // building every subcommand's flags costs tens of milliseconds: only usage needs them all
        int at = LongFlags.subcommandIndex(normalized);
        String name = at < 0 ? "" : normalized[at];
        if (name.equals("create") || name.equals("run") || name.equals("exec") || name.equals("checkpoint")
                || name.equals("restore")) {
            preloadNativeLayer();
        }
        Subcommand only = subcommand(name);
        // as runc: a word that names no command is reported once the global flags are taken
        boolean unknown = !name.isEmpty() && only == null && !HelpCommand.named(name);
        List<Subcommand> subs = only != null ? List.of(only)
                : name.isEmpty() && versionOnly(normalized) ? List.<Subcommand>of() : subcommands();
        CommandLine cli = new CommandLine(rootSpec(subs));
        // as runc's flag parser: a flag given twice takes its last value
        cli.setOverwrittenOptionsAllowed(true);
        ParseResult root;
        try {
            root = cli.parseArgs(unknown ? java.util.Arrays.copyOf(normalized, at) : normalized);
        } catch (CommandLine.ParameterException e) {
            err.println(e.getMessage());
            return 1;
        }
        String format = root.matchedOptionValue("--log-format", "text");
        String logFile = root.matchedOptionValue("--log", (String) null);
        if (logFile != null && !logFile.isEmpty()) {
            logFile = cwd.resolve(logFile).toString();
        }
        Log log = new Log(err, logFile, "json".equals(format),
                root.hasMatchedOption("--debug"));
        String unwritable = log.unwritable();
        if (unwritable != null) {
            err.println(unwritable);
            return 1;
        }
        if (!format.equals("text") && !format.equals("json")) {
            log.error("invalid log format \"" + format + "\": text or json");
            return 1;
        }
        if (log.debugging()) {
            log.debug("jrun " + String.join(" ", args));
        }
        if (root.hasMatchedOption("--version")) {
            out.print(version());
            return 0;
        }
        ParseResult sub = root.subcommand();
        if (root.isUsageHelpRequested() || sub == null && !unknown) {
            // as runc: jrun without a command shows its help, and that is no error
            out.print(HelpLayout.render(root.commandSpec()));
            return 0;
        }
        if (unknown) {
            JrunException noTopic = HelpCommand.noTopic(name);
            log.error(noTopic.getMessage());
            return noTopic.exitStatus();
        }
        if (sub.isUsageHelpRequested()) {
            out.print(HelpLayout.render(sub.commandSpec()));
            return 0;
        }
        Subcommand command = null;
        for (Subcommand s : subs) {
            if (s.name().equals(sub.commandSpec().name())) {
                command = s;
            }
        }
        Context ctx = new Context(cwd.resolve(root.matchedOptionValue("--root", DEFAULT_ROOT)), log, out,
                root.hasMatchedOption("--systemd-cgroup"), root.matchedOptionValue("--criu", (String) null), cwd, in, host);
        try {
            if (ctx.systemdCgroup() && (command instanceof CreateCommand || command instanceof RunCommand)) {
                refuseSystemd();
            }
            return command.run(sub, ctx);
        } catch (JrunException e) {
            log.error(e.getMessage());
            return e.exitStatus();
        } catch (Options.UsageException e) {
            log.error(e.getMessage());
        } catch (dev.jrun.spec.SpecException e) {
            log.error(e.getMessage());
        } catch (IOException e) {
            log.error(ioMessage(e));
        } catch (Exception e) {
            // a bug: the trace is for the report (--debug); the caller gets one line without internals
            log.error("internal error in jrun" + (root.hasMatchedOption("--debug") ? "" : " (rerun with --debug for details)"));
            if (root.hasMatchedOption("--debug")) {
                e.printStackTrace(err);
            }
        }
        return 1;
    }

    /** An I/O failure in words: Java's own exceptions carry only the path, or their class name. */
    static String ioMessage(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException f) {
            String reason = f.getReason() == null ? "" : ": " + f.getReason().toLowerCase(java.util.Locale.ROOT);
            if (e instanceof java.nio.file.NoSuchFileException) {
                reason = ": no such file or directory";
            } else if (e instanceof java.nio.file.AccessDeniedException) {
                reason = ": permission denied";
            } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
                reason = ": file exists";
            }
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + reason;
        }
        return m == null ? "input/output error" : m;
    }

    /**
     * create, run, exec, checkpoint and restore will need the native layer, whose loading
     * (jnr-ffi) is a large part of their start-up: begin it on the second core while this one
     * parses and validates.
     */
    private static void preloadNativeLayer() {
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    dev.jrun.runtime.linux.Syscalls.preload();
                } catch (RuntimeException | LinkageError e) {
                    // reported where the native layer is really needed
                }
            }
        }, "jrun-preload");
        t.setDaemon(true);
        t.start();
    }

    /** --version (-v) without a subcommand or help: nothing but the global flags is needed. */
    private static boolean versionOnly(String[] args) {
        boolean version = false;
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                return false;
            }
            version |= a.equals("--version") || a.equals("-v");
        }
        return version;
    }

    /** sd_booted(): systemd is running when /run/systemd/system exists. */
    private static void refuseSystemd() throws JrunException {
        if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
            throw new JrunException("--systemd-cgroup: systemd is not running on this host (no /run/systemd/system); "
                    + "run without --systemd-cgroup to use the cgroupfs driver");
        }
        throw new JrunException("--systemd-cgroup: jrun has no systemd cgroup driver yet; run without "
                + "--systemd-cgroup to use the cgroupfs driver");
    }

    static String version() {
        Properties p = versionProperties();
        return "jrun version " + p.getProperty("version", "unknown") + "\n"
                + "commit: " + p.getProperty("commit", "unknown") + "\n"
                + "spec: " + dev.jrun.spec.OciVersion.CURRENT + "\n";
    }

    /** The version alone, as runc's help shows it. */
    static String versionNumber() {
        return versionProperties().getProperty("version", "unknown");
    }

    private static Properties versionProperties() {
        Properties p = new Properties();
        // the installed copy is a plain file: reading a class path resource would first search
        // the JDK's module image, which costs more than the rest of --version
        String libdir = System.getProperty("jrun.libdir");
        Path installed = libdir == null ? null : Path.of(libdir, "version.properties");
        try (InputStream in = installed != null && Files.isRegularFile(installed) ? Files.newInputStream(installed)
                : Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall back to unknown
        }
        return p;
    }

    /** runc (urfave/cli) also accepts long flags with one dash: -pid-file, -bundle. */
    static final class LongFlags {
        private LongFlags() {
        }

        /**
         * Only up to the first word after the subcommand that is not a flag: from there on the
         * words may belong to the container's command (exec ID ps -user ...).
         */
        static String[] normalize(String[] args) {
            List<String> out = new ArrayList<>(args.length);
            boolean seenSubcommand = false;
            boolean done = false;
            boolean valueNext = false;
            for (String a : args) {
                boolean flag = a.startsWith("-");
                boolean isValue = valueNext;
                String name = flag ? a.replaceFirst("^--?", "").split("=", 2)[0] : "";
                valueNext = flag && !a.contains("=") && VALUED.contains(name);
                if (!done && flag && a.length() > 2 && a.charAt(1) != '-' && Character.isLetter(a.charAt(1))
                        && KNOWN.contains(a.substring(1).split("=", 2)[0])) {
                    out.add("-" + a);
                } else {
                    out.add(a);
                }
                if (a.equals("--")) {
                    done = true;
                } else if (!flag && !isValue) {
                    done |= seenSubcommand;
                    seenSubcommand = true;
                }
            }
            return out.toArray(new String[0]);
        }

        /** Where the first word that is neither a global flag nor a global flag's value is, or -1. */
        static int subcommandIndex(String[] args) {
            boolean valueNext = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (valueNext) {
                    valueNext = false;
                } else if (a.startsWith("-")) {
                    valueNext = !a.contains("=") && VALUED.contains(a.replaceFirst("^--?", ""));
                } else {
                    return i;
                }
            }
            return -1;
        }

        /** The value of a global flag given before the subcommand (its last one), or null. */
        static String globalValue(String[] args, String flag) {
            String value = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("-")) {
                    break;
                }
                if (a.equals("--" + flag) && i + 1 < args.length) {
                    value = args[++i];
                } else if (a.startsWith("--" + flag + "=")) {
                    value = a.substring(flag.length() + 3);
                } else if (!a.contains("=") && VALUED.contains(a.replaceFirst("^--?", ""))) {
                    i++;
                }
            }
            return value;
        }

        /** Long flags that take a value (the next word, unless given as --flag=value). */
        private static final java.util.Set<String> VALUED = java.util.Set.of("root", "log", "log-format", "rootless",
                "criu", "bundle", "b", "console-socket", "pid-file", "preserve-fds", "format", "f", "resources", "r",
                "interval", "process", "p", "env", "e", "cwd", "user", "u", "additional-gids", "g", "cap", "c",
                "apparmor", "process-label", "cgroup", "image-path", "work-path", "parent-path", "manage-cgroups-mode",
                "empty-ns", "page-server", "status-fd", "lsm-profile", "lsm-mount-context", "pidfd-socket");

        private static final java.util.Set<String> KNOWN = java.util.Set.of("root", "log", "log-format", "debug",
                "systemd-cgroup", "rootless", "criu", "version", "bundle", "console-socket", "pid-file", "no-pivot",
                "no-new-keyring", "preserve-fds", "detach", "keep", "all", "force", "format", "quiet", "help", "resources",
                "stats", "interval", "process", "tty", "env", "cwd", "user", "additional-gids", "cap", "no-new-privs",
                "apparmor", "process-label", "cgroup", "ignore-paused", "image-path", "work-path", "parent-path",
                "leave-running", "tcp-established", "tcp-skip-in-flight", "link-remap", "ext-unix-sk", "shell-job",
                "file-locks", "pre-dump", "manage-cgroups-mode", "empty-ns", "auto-dedup", "page-server", "status-fd",
                "lazy-pages", "no-subreaper", "lsm-profile", "lsm-mount-context", "pidfd-socket");
    }
}
