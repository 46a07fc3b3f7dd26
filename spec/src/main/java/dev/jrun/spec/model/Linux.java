package dev.jrun.spec.model;

import java.util.List;
import java.util.Map;

/** The {@code linux} section of config.json. */
public record Linux(
        List<LinuxIDMapping> uidMappings,
        List<LinuxIDMapping> gidMappings,
        Map<String, String> sysctl,
        LinuxResources resources,
        String cgroupsPath,
        List<LinuxNamespace> namespaces,
        List<LinuxDevice> devices,
        Map<String, LinuxNetDevice> netDevices,
        LinuxSeccomp seccomp,
        String rootfsPropagation,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel,
        LinuxIntelRdt intelRdt,
        LinuxMemoryPolicy memoryPolicy,
        LinuxPersonality personality,
        Map<String, LinuxTimeOffset> timeOffsets) {

    public Linux {
        uidMappings = Copy.list(uidMappings);
        gidMappings = Copy.list(gidMappings);
        sysctl = Copy.map(sysctl);
        namespaces = Copy.list(namespaces);
        devices = Copy.list(devices);
        netDevices = Copy.map(netDevices);
        maskedPaths = Copy.list(maskedPaths);
        readonlyPaths = Copy.list(readonlyPaths);
        timeOffsets = Copy.map(timeOffsets);
    }

    /** The first namespace entry of that type (e.g. {@code "pid"}), or {@code null}. */
    public LinuxNamespace namespace(String type) {
        if (namespaces != null) {
            for (LinuxNamespace ns : namespaces) {
                if (type.equals(ns.type())) {
                    return ns;
                }
            }
        }
        return null;
    }

    /** Whether the container gets a namespace of that type, new or joined. */
    public boolean hasNamespace(String type) {
        return namespace(type) != null;
    }
}
