package dev.jrun.spec.model;

/**
 * CPU affinity of {@code exec} processes, as CPU lists such as {@code 0-3,7}.
 *
 * @param initial affinity before the process joins the container's cgroup
 * @param finalCpus JSON {@code final} (a Java keyword): affinity once inside the cgroup
 */
public record CPUAffinity(
        String initial,
        @Go(json = "final") String finalCpus) {}
