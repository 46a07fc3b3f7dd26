package dev.jrun.runtime.container;

import java.util.Map;

/**
 * What jrun remembers about a container between calls ({@code <root>/<id>/state.json}).  The
 * status is not stored: it is derived each time (see {@link StatusProbe}).
 *
 * @param pidStartTime the init's start time in clock ticks since boot (/proc/pid/stat field 22),
 *     so a recycled pid is never mistaken for the container
 * @param created RFC 3339 with nanoseconds, UTC, as runc prints it
 * @param cgroupPaths controller (or "" for the unified hierarchy) to the host directory
 * @param hooks which lifecycle hooks the config has, so start and delete parse the config only then
 * @param hostMounts mounts the container made in the caller's mount namespace (it has none of its
 *     own), by mount id: delete removes them
 * @param sharedPidNamespace whether the container has no pid namespace of its own (none, or one
 *     joined by path): its init's death then takes no other process with it, so kill reaches
 *     every process of its cgroup
 * @param cgroupParents per controller, the topmost parent directory of the cgroup that create
 *     made: delete removes those parents again when nothing else lives in them
 */
public record ContainerState(
        String id,
        int pid,
        long pidStartTime,
        String bundle,
        String rootfs,
        String created,
        String owner,
        Map<String, String> annotations,
        Map<String, String> cgroupPaths,
        boolean poststartHooks,
        boolean poststopHooks,
        Map<String, String> hostMounts,
        boolean sharedPidNamespace,
        Map<String, String> cgroupParents) {

    public ContainerState {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        cgroupPaths = cgroupPaths == null ? Map.of() : Map.copyOf(cgroupPaths);
        hostMounts = hostMounts == null ? Map.of() : Map.copyOf(hostMounts);
        cgroupParents = cgroupParents == null ? Map.of() : Map.copyOf(cgroupParents);
    }
}
