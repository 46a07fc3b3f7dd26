package dev.jrun.spec.model;

import java.util.Map;

/**
 * The OCI state of a container, as passed to hooks on stdin.
 *
 * @param status creating, created, running or stopped
 * @param pid Go {@code int}; absent (or 0) when there is no process
 */
public record State(
        String ociVersion,
        String id,
        String status,
        Long pid,
        String bundle,
        Map<String, String> annotations) {

    public State {
        annotations = Copy.map(annotations);
    }
}
