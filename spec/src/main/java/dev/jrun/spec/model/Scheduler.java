package dev.jrun.spec.model;

import java.util.List;

/**
 * sched_setattr(2) parameters for the process.
 *
 * @param runtime uint64 nanoseconds, unsigned (SCHED_DEADLINE)
 * @param deadline uint64 nanoseconds, unsigned (SCHED_DEADLINE)
 * @param period uint64 nanoseconds, unsigned (SCHED_DEADLINE)
 */
public record Scheduler(
        String policy,
        Integer nice,
        Integer priority,
        List<String> flags,
        Long runtime,
        Long deadline,
        Long period) {

    public Scheduler {
        flags = Copy.list(flags);
    }
}
