package dev.jrun.spec.model;

/**
 * cpu and cpuset controller settings; times are in microseconds.
 *
 * @param shares uint64, unsigned
 * @param quota int64; -1 means no limit
 * @param burst uint64, unsigned
 * @param period uint64, unsigned
 * @param realtimeRuntime int64
 * @param realtimePeriod uint64, unsigned
 * @param cpus a CPU list such as {@code 0-3,7}
 * @param mems a memory node list such as {@code 0-1}
 * @param idle int64; 1 puts the cgroup in SCHED_IDLE
 */
public record LinuxCPU(
        @Go("*uint64") Long shares,
        @Go("*int64") Long quota,
        @Go("*uint64") Long burst,
        @Go("*uint64") Long period,
        @Go("*int64") Long realtimeRuntime,
        @Go("*uint64") Long realtimePeriod,
        String cpus,
        String mems,
        @Go("*int64") Long idle) {}
