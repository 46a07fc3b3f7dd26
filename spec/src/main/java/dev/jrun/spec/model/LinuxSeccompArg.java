package dev.jrun.spec.model;

/**
 * A condition on one syscall argument.
 *
 * @param index Go {@code uint}: unsigned; valid values are 0..5
 * @param value uint64, unsigned
 * @param valueTwo uint64, unsigned
 */
public record LinuxSeccompArg(Long index, Long value, Long valueTwo, String op) {}
