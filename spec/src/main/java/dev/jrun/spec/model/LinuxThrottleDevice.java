package dev.jrun.spec.model;

/**
 * A per-device rate limit.
 *
 * @param major int64
 * @param minor int64
 * @param rate uint64, unsigned: bytes or operations per second
 */
public record LinuxThrottleDevice(
        @Go(value = "int64", omitempty = false) Long major,
        @Go(value = "int64", omitempty = false) Long minor,
        @Go(value = "uint64", omitempty = false) Long rate) {}
