package dev.jrun.spec.model;

import java.util.List;

/** personality(2) domain (LINUX or LINUX32); no flags are defined yet. */
public record LinuxPersonality(
        @Go(omitempty = false) String domain,
        List<String> flags) {

    public LinuxPersonality {
        flags = Copy.list(flags);
    }
}
