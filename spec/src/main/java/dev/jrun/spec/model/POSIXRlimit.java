package dev.jrun.spec.model;

/**
 * One resource limit.
 *
 * @param type e.g. {@code RLIMIT_NOFILE}
 * @param hard uint64, unsigned; {@code -1L} is RLIM_INFINITY
 * @param soft uint64, unsigned; {@code -1L} is RLIM_INFINITY
 */
public record POSIXRlimit(String type, Long hard, Long soft) {}
