package dev.jrun.runtime.container;

import java.nio.file.Path;

/**
 * runc's exec flags that are not part of the process itself.
 *
 * @param cgroup --cgroup: a sub-cgroup of the container's to run in, "path" or "controller[,controller]:path"
 */
public record ExecOptions(boolean detach, Path pidFile, Path consoleSocket, int preserveFds, String cgroup,
        boolean ignorePaused) {
}
