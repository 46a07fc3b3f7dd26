package dev.jrun.cli;

import dev.jrun.runtime.container.Containers;
import java.io.PrintStream;
import java.nio.file.Path;

/** What every subcommand gets: the global flags, the log, and stdout. */
record Context(Path root, Log log, PrintStream out, boolean systemdCgroup) {
    Containers containers() {
        return new Containers(root, log::warn);
    }
}
