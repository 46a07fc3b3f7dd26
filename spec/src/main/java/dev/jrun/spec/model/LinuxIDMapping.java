package dev.jrun.spec.model;

/**
 * A range of ids mapped between the container and the host (all uint32).
 */
public record LinuxIDMapping(Long containerID, Long hostID, Long size) {}
