package dev.jrun.spec.model;

/**
 * A per-device rate limit.
 *
 * @param major int64
 * @param minor int64
 * @param rate uint64, unsigned: bytes or operations per second
 */
public record LinuxThrottleDevice(Long major, Long minor, Long rate) {}
