package dev.jrun.spec.model;

/**
 * pids controller settings.
 *
 * @param limit int64; -1 means no limit, 0 is a real limit
 */
public record LinuxPids(@Go("*int64") Long limit) {}
