package dev.jrun.spec.model;

/** A host network device to move into the container; {@code name} renames it there. */
public record LinuxNetDevice(String name) {}
