package dev.jrun.spec.model;

import java.util.List;

/**
 * net_cls / net_prio settings.
 *
 * @param classID uint32
 */
public record LinuxNetwork(
        @Go("*uint32") Long classID,
        List<LinuxInterfacePriority> priorities) {

    public LinuxNetwork {
        priorities = Copy.list(priorities);
    }
}
