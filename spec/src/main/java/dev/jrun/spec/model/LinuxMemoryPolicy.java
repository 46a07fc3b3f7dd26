package dev.jrun.spec.model;

import java.util.List;

/**
 * set_mempolicy(2) parameters.
 *
 * @param nodes a node list such as {@code 0-3,7}
 */
public record LinuxMemoryPolicy(
        @Go(omitempty = false) String mode,
        @Go(omitempty = false) String nodes,
        List<String> flags) {

    public LinuxMemoryPolicy {
        flags = Copy.list(flags);
    }
}
