package dev.jrun.spec.model;

import java.util.List;
import java.util.Map;

/**
 * The bundle's {@code config.json}. Only the Linux platform section is modelled; the {@code
 * solaris}, {@code windows}, {@code vm}, {@code zos} and {@code freebsd} sections are ignored when
 * read, like any unknown field.
 */
public record Spec(
        @Go(omitempty = false) String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux) {

    public Spec {
        mounts = Copy.list(mounts);
        annotations = Copy.map(annotations);
    }
}
