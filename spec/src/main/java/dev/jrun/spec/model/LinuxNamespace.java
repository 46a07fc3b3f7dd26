package dev.jrun.spec.model;

/**
 * A namespace to create ({@code path} absent) or to join ({@code path} set).
 *
 * @param type pid, network, mount, ipc, uts, user, cgroup or time
 */
public record LinuxNamespace(
        @Go(omitempty = false) String type,
        String path) {

    /** True when the runtime must create a new namespace rather than join one. */
    public boolean isNew() {
        return path == null || path.isEmpty();
    }
}
