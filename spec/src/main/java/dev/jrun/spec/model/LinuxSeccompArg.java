package dev.jrun.spec.model;

/**
 * A condition on one syscall argument.
 *
 * @param index Go {@code uint}: unsigned; valid values are 0..5
 * @param value uint64, unsigned
 * @param valueTwo uint64, unsigned
 */
public record LinuxSeccompArg(
        @Go(value = "uint", omitempty = false) Long index,
        @Go(value = "uint64", omitempty = false) Long value,
        @Go("uint64") Long valueTwo,
        @Go(omitempty = false) String op) {}
