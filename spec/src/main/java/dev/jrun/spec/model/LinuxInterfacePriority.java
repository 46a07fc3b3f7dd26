package dev.jrun.spec.model;

/**
 * A net_prio entry.
 *
 * @param priority uint32
 */
public record LinuxInterfacePriority(String name, Long priority) {}
