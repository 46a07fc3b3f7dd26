package dev.jrun.spec.model;

/**
 * One resource limit.
 *
 * @param type e.g. {@code RLIMIT_NOFILE}
 * @param hard uint64, unsigned; {@code -1L} is RLIM_INFINITY
 * @param soft uint64, unsigned; {@code -1L} is RLIM_INFINITY
 */
public record POSIXRlimit(
        @Go(omitempty = false) String type,
        @Go(value = "uint64", omitempty = false) Long hard,
        @Go(value = "uint64", omitempty = false) Long soft) {}
