package dev.jrun.spec.model;

/**
 * A console size in characters.
 *
 * @param height Go {@code uint}: unsigned 64-bit
 * @param width Go {@code uint}: unsigned 64-bit
 */
public record Box(
        @Go(value = "uint", omitempty = false) Long height,
        @Go(value = "uint", omitempty = false) Long width) {}
