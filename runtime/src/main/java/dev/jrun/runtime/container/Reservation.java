package dev.jrun.runtime.container;

import dev.jrun.runtime.linux.Syscalls;
import java.io.IOException;
import java.util.List;

/**
 * The shape create and restore share: the id is reserved, the container built under its lock,
 * and on any failure what the build took is given back before the state directory goes, so no
 * half-made container outlives the call.  The fds the build kept open are closed either way.
 */
final class Reservation {
    interface Build<T> {
        T run() throws JrunException, IOException;
    }

    private Reservation() {
    }

    /**
     * @param undo gives back what a failed build took (processes, cgroups, mounts); it must not throw
     * @param keptFds closed whatever the outcome
     */
    static <T> T build(StateStore store, Syscalls sys, String id, List<Integer> keptFds, Runnable undo, Build<T> build)
            throws JrunException, IOException {
        StateStore.Lock lock = store.reserve(id);
        boolean done = false;
        try {
            T built = build.run();
            done = true;
            return built;
        } finally {
            if (!done) {
                undo.run();
            }
            for (int fd : keptFds) {
                sys.close(fd);
            }
            lock.close();
            if (!done) {
                store.remove(id);
            }
        }
    }
}
