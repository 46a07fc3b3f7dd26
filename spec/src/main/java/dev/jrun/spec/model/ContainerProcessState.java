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
        String ociVersion, List<String> fds, Long pid, String metadata, State state) {

    public ContainerProcessState {
        fds = Copy.list(fds);
    }
}
