package dev.jrun.spec.model;

/**
 * A per-device weight.
 *
 * @param major int64
 * @param minor int64
 * @param weight uint16
 * @param leafWeight uint16
 */
public record LinuxWeightDevice(Long major, Long minor, Integer weight, Integer leafWeight) {}
