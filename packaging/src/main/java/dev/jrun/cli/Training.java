package dev.jrun.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs jrun's subcommands once each, in one JVM, so that JVM can record what they load: the
 * class list of the CDS archive (JDK 17–23) or the AOT cache (JDK 24+) made at install time.
 * usage: Training WORKDIR [BUNDLE] — with a bundle (and root), a container goes through its
 * whole life; without, only the commands that need none run.
 *
 * <p>It lives in the packaging module, which is never installed, and in jrun's package because
 * it calls {@link Main#run} as the launcher's entry point would.
 */
public final class Training {
    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    private Training() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        String root = work.resolve("state").toString();
        Path spec = Files.createDirectories(work.resolve("spec"));
        run("--version");
        run("features");
        run("spec", "--bundle", spec.toString());
        run("validate", "--bundle", spec.toString());
        run("--root", root, "list");
        run("--root", root, "state", "none");
        run("--root", root, "--log", work.resolve("log.json").toString(), "--log-format", "json", "delete", "--force",
                "none");
        if (args.length > 1) {
            String bundle = args[1];
            run("--root", root, "create", "--bundle", bundle, "c1");
            run("--root", root, "state", "c1");
            run("--root", root, "start", "c1");
            run("--root", root, "list", "--format", "json");
            run("--root", root, "ps", "--format", "json", "c1");
            run("--root", root, "exec", "c1", "/bin/true");
            run("--root", root, "exec", "--detach", "c1", "/bin/sleep", "1");
            run("--root", root, "pause", "c1");
            run("--root", root, "resume", "c1");
            run("--root", root, "update", "--pids-limit", "100", "c1");
            run("--root", root, "events", "--stats", "c1");
            run("--root", root, "kill", "c1", "WINCH");
            run("--root", root, "kill", "c1", "KILL");
            run("--root", root, "delete", "--force", "c1");
            run("--root", root, "run", "--detach", "--bundle", bundle, "c2");
            run("--root", root, "delete", "--force", "c2");
        }
    }

    private static void run(String... args) {
        Main.run(args, DISCARD, DISCARD);
    }
}
