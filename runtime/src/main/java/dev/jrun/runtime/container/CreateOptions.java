package dev.jrun.runtime.container;

import java.nio.file.Path;

/**
 * runc's create flags.
 *
 * @param consoleSocket where to send the pty master when process.terminal is set, or null
 * @param pidFile where to write the init's host pid, or null
 * @param preserveFds how many fds after stdio to pass to the container (--preserve-fds)
 * @param pidfdSocket where to send a pidfd of the container's init (--pidfd-socket), or null
 */
public record CreateOptions(Path bundle, Path pidFile, Path consoleSocket, boolean noPivot, boolean noNewKeyring,
        int preserveFds, Path pidfdSocket) {
}
