package dev.jrun.spec.model;

/**
 * A clock offset for a time namespace.
 *
 * @param secs int64
 * @param nanosecs uint32
 */
public record LinuxTimeOffset(
        @Go("int64") Long secs,
        @Go("uint32") Long nanosecs) {}
