package dev.jrun.spec.model;

/**
 * A clock offset for a time namespace.
 *
 * @param secs int64
 * @param nanosecs uint32
 */
public record LinuxTimeOffset(Long secs, Long nanosecs) {}
