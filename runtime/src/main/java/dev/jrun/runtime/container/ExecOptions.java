package dev.jrun.runtime.container;

import java.nio.file.Path;

/**
 * runc's exec flags that are not part of the process itself.
 *
 * @param pidfdSocket where to send a pidfd of the process (--pidfd-socket), or null
 * @param cgroup --cgroup: a sub-cgroup of the container's to run in, "path" or "controller[,controller]:path"
 */
public record ExecOptions(boolean detach, Path pidFile, Path consoleSocket, int preserveFds, String cgroup,
        boolean ignorePaused, Path pidfdSocket) {
}
