package dev.jrun.spec.model;

import java.util.List;

/** The capability sets kept for the process; names as in capabilities(7), e.g. CAP_CHOWN. */
public record LinuxCapabilities(
        List<String> bounding,
        List<String> effective,
        List<String> inheritable,
        List<String> permitted,
        List<String> ambient) {

    public LinuxCapabilities {
        bounding = Copy.list(bounding);
        effective = Copy.list(effective);
        inheritable = Copy.list(inheritable);
        permitted = Copy.list(permitted);
        ambient = Copy.list(ambient);
    }
}
