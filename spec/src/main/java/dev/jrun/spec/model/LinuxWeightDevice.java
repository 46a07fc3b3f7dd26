package dev.jrun.spec.model;

/**
 * A per-device weight.
 *
 * @param major int64
 * @param minor int64
 * @param weight uint16
 * @param leafWeight uint16
 */
public record LinuxWeightDevice(
        @Go(value = "int64", omitempty = false) Long major,
        @Go(value = "int64", omitempty = false) Long minor,
        @Go("*uint16") Integer weight,
        @Go("*uint16") Integer leafWeight) {}
