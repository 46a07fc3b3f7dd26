package dev.jrun.spec.model;

import java.util.List;

/** Intel RDT (resctrl) settings. */
public record LinuxIntelRdt(
        String closID,
        List<String> schemata,
        String l3CacheSchema,
        String memBwSchema,
        Boolean enableMonitoring) {

    public LinuxIntelRdt {
        schemata = Copy.list(schemata);
    }
}
