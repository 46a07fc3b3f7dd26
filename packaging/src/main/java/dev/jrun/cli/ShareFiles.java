package dev.jrun.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * usage: ShareFiles DIR — writes what jrun installs under PREFIX/share into DIR: its man pages
 * (man/man8/*.8) and its bash completion (bash-completion/completions/jrun), and prints each
 * file's path relative to DIR, one a line, for assemble.sh's list of installed files.
 *
 * <p>Run by packaging/assemble.sh; like {@link Training} it lives in the packaging module,
 * never installed, and in jrun's package to read the command model jrun parses with.
 */
public final class ShareFiles {
    private ShareFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ShareFiles DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        CommandSpec root = Main.rootSpec(Main.subcommands());
        for (Map.Entry<String, String> page : ManPages.pages(root, Main.versionNumber()).entrySet()) {
            write(dir, "man/man8/" + page.getKey(), page.getValue());
        }
        write(dir, "bash-completion/completions/jrun", BashCompletion.script());
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        System.out.println(name);
    }
}
