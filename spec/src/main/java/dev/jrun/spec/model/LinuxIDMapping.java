package dev.jrun.spec.model;

/**
 * A range of ids mapped between the container and the host (all uint32).
 */
public record LinuxIDMapping(
        @Go(value = "uint32", omitempty = false) Long containerID,
        @Go(value = "uint32", omitempty = false) Long hostID,
        @Go(value = "uint32", omitempty = false) Long size) {}
