package dev.jrun.spec;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Go's encoding/json matches object keys to struct fields case-insensitively when there is no
 * exact match ({@code "Args"} fills {@code args}), and runc accepts such files. The decoders
 * switch on the exact JSON names, so keys are first folded onto the name they would match in Go.
 * No two field names of the documents differ only in case, so one table serves every struct.
 */
final class FieldNames {
    private static final String[] NAMES = {
        // Spec, Process and the structs inside it
        "ociVersion", "process", "root", "hostname", "domainname", "mounts", "hooks", "annotations",
        "linux", "terminal", "consoleSize", "user", "args", "commandLine", "env", "cwd",
        "capabilities", "rlimits", "noNewPrivileges", "apparmorProfile", "oomScoreAdj", "scheduler",
        "selinuxLabel", "ioPriority", "execCPUAffinity", "height", "width", "uid", "gid", "umask",
        "additionalGids", "username", "bounding", "effective", "inheritable", "permitted", "ambient",
        "type", "hard", "soft", "policy", "nice", "priority", "flags", "runtime", "deadline",
        "period", "class", "initial", "final", "path", "readonly", "destination", "source",
        "options", "uidMappings", "gidMappings", "timeout", "prestart", "createRuntime",
        "createContainer", "startContainer", "poststart", "poststop",
        // Linux
        "sysctl", "resources", "cgroupsPath", "namespaces", "devices", "netDevices", "seccomp",
        "rootfsPropagation", "maskedPaths", "readonlyPaths", "mountLabel", "intelRdt",
        "memoryPolicy", "personality", "timeOffsets", "containerID", "hostID", "size", "secs",
        "nanosecs", "major", "minor", "fileMode", "name", "defaultAction", "defaultErrnoRet",
        "architectures", "listenerPath", "listenerMetadata", "syscalls", "names", "action",
        "errnoRet", "index", "value", "valueTwo", "op", "closID", "schemata", "l3CacheSchema",
        "memBwSchema", "enableMonitoring", "mode", "nodes", "domain",
        // LinuxResources
        "memory", "cpu", "pids", "blockIO", "hugepageLimits", "network", "rdma", "unified",
        "allow", "access", "limit", "reservation", "swap", "kernel", "kernelTCP", "swappiness",
        "disableOOMKiller", "useHierarchy", "checkBeforeUpdate", "shares", "quota", "burst",
        "realtimeRuntime", "realtimePeriod", "cpus", "mems", "idle", "weight", "leafWeight",
        "weightDevice", "throttleReadBpsDevice", "throttleWriteBpsDevice",
        "throttleReadIOPSDevice", "throttleWriteIOPSDevice", "rate", "pageSize", "classID",
        "priorities", "hcaHandles", "hcaObjects",
        // State
        "id", "status", "pid", "bundle",
        // Features
        "ociVersionMin", "ociVersionMax", "mountOptions", "potentiallyUnsafeConfigAnnotations",
        "cgroup", "apparmor", "selinux", "mountExtensions", "v1", "v2", "systemd", "systemdUser",
        "enabled", "actions", "operators", "archs", "knownFlags", "supportedFlags", "monitoring",
        "modes", "idmap",
    };

    private static final Map<String, String> BY_LOWER_CASE = new HashMap<>(NAMES.length * 2);

    static {
        for (String name : NAMES) {
            BY_LOWER_CASE.put(name.toLowerCase(Locale.ROOT), name);
        }
    }

    private FieldNames() {}

    /** The field name {@code key} would fill in Go, or {@code key} itself if it matches none. */
    static String canonical(String key) {
        String name = BY_LOWER_CASE.get(key.toLowerCase(Locale.ROOT));
        return name == null ? key : name;
    }

    /** Every name in the table, for tests. */
    static String[] all() {
        return NAMES.clone();
    }
}
