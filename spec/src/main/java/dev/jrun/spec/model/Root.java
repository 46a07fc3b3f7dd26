package dev.jrun.spec.model;

/** The container's root filesystem: an absolute path, or a path relative to the bundle. */
public record Root(@Go(omitempty = false) String path, Boolean readonly) {

    public boolean isReadonly() {
        return Boolean.TRUE.equals(readonly);
    }
}
