package dev.jrun.runtime.container;

import java.nio.file.Path;

/**
 * `restore`'s own flags (the CRIU ones travel in CriuOptions).
 *
 * @param bundle absolute bundle directory
 * @param pidFile where the restored init's host pid goes, or null
 * @param consoleSocket where the restored terminal's master goes, or null
 * @param detach return once restored instead of waiting for the container to exit
 * @param noPivot accepted as runc does: CRIU, not jrun, sets up the restored root
 */
public record RestoreOptions(Path bundle, Path pidFile, Path consoleSocket, boolean detach, boolean noPivot) {
}
