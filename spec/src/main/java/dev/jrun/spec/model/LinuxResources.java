package dev.jrun.spec.model;

import java.util.List;
import java.util.Map;

/**
 * cgroup limits: {@code linux.resources} in config.json, and the document of {@code update -r}.
 *
 * @param rdma keyed by device name
 * @param unified cgroup v2 file name to content
 */
public record LinuxResources(
        List<LinuxDeviceCgroup> devices,
        LinuxMemory memory,
        LinuxCPU cpu,
        LinuxPids pids,
        LinuxBlockIO blockIO,
        List<LinuxHugepageLimit> hugepageLimits,
        LinuxNetwork network,
        Map<String, LinuxRdma> rdma,
        Map<String, String> unified) {

    public LinuxResources {
        devices = Copy.list(devices);
        hugepageLimits = Copy.list(hugepageLimits);
        rdma = Copy.map(rdma);
        unified = Copy.map(unified);
    }
}
