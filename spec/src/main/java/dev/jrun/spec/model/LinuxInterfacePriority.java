package dev.jrun.spec.model;

/**
 * A net_prio entry.
 *
 * @param priority uint32
 */
public record LinuxInterfacePriority(
        @Go(omitempty = false) String name,
        @Go(value = "uint32", omitempty = false) Long priority) {}
