package dev.jrun.runtime.container;

import java.nio.file.Path;
import java.util.List;

/**
 * runc's exec flags that are not part of the process itself.
 *
 * @param pidfdSocket where to send a pidfd of the process (--pidfd-socket), or null
 * @param cgroups each --cgroup: a sub-cgroup of the container's to run in, "path" or "controller[,controller]:path"
 */
public record ExecOptions(boolean detach, Path pidFile, Path consoleSocket, int preserveFds, List<String> cgroups,
        boolean ignorePaused, Path pidfdSocket) {
    public ExecOptions {
        cgroups = cgroups == null ? List.of() : List.copyOf(cgroups);
    }
}
