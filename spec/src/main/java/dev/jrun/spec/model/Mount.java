package dev.jrun.spec.model;

import java.util.List;

/** One entry of {@code mounts}; the uid/gid mappings make it an id-mapped mount. */
public record Mount(
        @Go(omitempty = false) String destination,
        String type,
        String source,
        List<String> options,
        List<LinuxIDMapping> uidMappings,
        List<LinuxIDMapping> gidMappings) {

    public Mount {
        options = Copy.list(options);
        uidMappings = Copy.list(uidMappings);
        gidMappings = Copy.list(gidMappings);
    }

    public boolean hasOption(String option) {
        return options != null && options.contains(option);
    }
}
