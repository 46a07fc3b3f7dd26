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
        @Go(omitempty = false) String policy,
        @Go("int32") Integer nice,
        @Go("int32") Integer priority,
        List<String> flags,
        @Go("uint64") Long runtime,
        @Go("uint64") Long deadline,
        @Go("uint64") Long period) {

    public Scheduler {
        flags = Copy.list(flags);
    }
}
