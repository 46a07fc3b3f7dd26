package dev.jrun.runtime.container;

import dev.jrun.runtime.cgroups.CgroupManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Derives a container's status from the system rather than trusting a stored word: stopped
 * when the init is gone or its pid was reused (start time differs), paused when the cgroup is
 * frozen, created while exec.fifo waits for start, running otherwise.
 */
public final class StatusProbe {
    private StatusProbe() {
    }

    public static Status status(ContainerState s, Path containerDir) throws IOException {
        if (!initAlive(s)) {
            return Status.STOPPED;
        }
        if (CgroupManager.isFrozen(s.cgroupPaths())) {
            return Status.PAUSED;
        }
        if (Files.exists(containerDir.resolve(StateStore.FIFO))) {
            return Status.CREATED;
        }
        return Status.RUNNING;
    }

    public static boolean initAlive(ContainerState s) throws IOException {
        if (s.pid() <= 0) {
            return false;
        }
        ProcStat stat = ProcStat.read(s.pid());
        return stat != null && !stat.isGone() && stat.startTime() == s.pidStartTime();
    }
}
