package dev.jrun.spec.model;

import java.util.Map;

/**
 * The OCI state of a container, as passed to hooks on stdin.
 *
 * @param status creating, created, running or stopped
 * @param pid Go {@code int}; absent (or 0) when there is no process
 */
public record State(
        @Go(omitempty = false) String ociVersion,
        @Go(omitempty = false) String id,
        @Go(omitempty = false) String status,
        @Go("int") Long pid,
        @Go(omitempty = false) String bundle,
        Map<String, String> annotations) {

    public State {
        annotations = Copy.map(annotations);
    }
}
