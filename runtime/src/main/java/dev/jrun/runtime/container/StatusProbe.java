package dev.jrun.runtime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Derives a container's status from the system rather than trusting a stored word: stopped
 * when the init is gone or its pid was reused (start time differs), paused when the cgroup is
 * frozen, created while exec.fifo waits for start, running otherwise.
 */
final class StatusProbe {
    private StatusProbe() {
    }

    static Status status(Host host, ContainerState s, Path containerDir) throws IOException {
        if (!initAlive(host, s)) {
            return Status.STOPPED;
        }
        if (host.frozen(s.cgroupPaths())) {
            return Status.PAUSED;
        }
        if (Files.exists(containerDir.resolve(StateStore.FIFO))) {
            return Status.CREATED;
        }
        return Status.RUNNING;
    }

    static boolean initAlive(Host host, ContainerState s) throws IOException {
        if (s.pid() <= 0) {
            return false;
        }
        ProcStat stat = host.stat(s.pid());
        return stat != null && !stat.isGone() && stat.startTime() == s.pidStartTime();
    }
}
