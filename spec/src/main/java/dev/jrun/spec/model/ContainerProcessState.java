package dev.jrun.spec.model;

import java.util.List;

/**
 * What the runtime sends to a seccomp agent at {@code linux.seccomp.listenerPath}, along with
 * the listener fd (config-linux.md, "The Container Process State").
 *
 * @param fds names of the file descriptors passed with SCM_RIGHTS, in order (e.g. seccompFd)
 * @param pid Go {@code int}: the container process, as the runtime sees it
 * @param metadata {@code linux.seccomp.listenerMetadata}
 */
public record ContainerProcessState(
        @Go(omitempty = false) String ociVersion,
        @Go(omitempty = false) List<String> fds,
        @Go(value = "int", omitempty = false) Long pid,
        String metadata,
        @Go(omitempty = false) State state) {

    public ContainerProcessState {
        fds = Copy.list(fds);
    }
}
