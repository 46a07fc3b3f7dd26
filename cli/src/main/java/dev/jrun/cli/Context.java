package dev.jrun.cli;

import dev.jrun.runtime.container.Containers;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What every subcommand gets: the global flags, the log, and stdout.
 *
 * @param criu the global --criu value (checkpoint and restore), or null
 * @param cwd the caller's working directory, which relative paths it names are resolved against
 * @param in the caller's stdin
 * @param host the machine as the call sees it, or null for this process's own
 */
record Context(Path root, Log log, PrintStream out, boolean systemdCgroup, String criu, Path cwd, java.io.InputStream in,
        dev.jrun.runtime.container.Host host) {
    Containers containers() {
        // anonymous classes, not log::warn: a lambda costs a bootstrap on every fresh JVM
        return new Containers(root, host != null ? host : new dev.jrun.runtime.container.LinuxHost(),
                new java.util.function.Consumer<String>() {
            @Override
            public void accept(String warning) {
                log.warn(warning);
            }
        }, !log.debugging() ? null : new java.util.function.Consumer<String>() {
            @Override
            public void accept(String detail) {
                log.debug(detail);
            }
        });
    }
}
