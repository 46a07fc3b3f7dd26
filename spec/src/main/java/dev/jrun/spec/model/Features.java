package dev.jrun.spec.model;

import java.util.List;
import java.util.Map;

/**
 * The features document ({@code jrun features}). In every nested record, {@code null} means
 * "unknown", which is not the same as {@code false} or empty.
 */
public record Features(
        String ociVersionMin,
        String ociVersionMax,
        List<String> hooks,
        List<String> mountOptions,
        Linux linux,
        Map<String, String> annotations,
        List<String> potentiallyUnsafeConfigAnnotations) {

    public Features {
        hooks = Copy.list(hooks);
        mountOptions = Copy.list(mountOptions);
        annotations = Copy.map(annotations);
        potentiallyUnsafeConfigAnnotations = Copy.list(potentiallyUnsafeConfigAnnotations);
    }

    /** Linux-specific features. */
    public record Linux(
            List<String> namespaces,
            List<String> capabilities,
            Cgroup cgroup,
            Seccomp seccomp,
            Enabled apparmor,
            Enabled selinux,
            IntelRdt intelRdt,
            MemoryPolicy memoryPolicy,
            MountExtensions mountExtensions,
            Enabled netDevices) {

        public Linux {
            namespaces = Copy.list(namespaces);
            capabilities = Copy.list(capabilities);
        }
    }

    /** Which cgroup drivers are compiled in. */
    public record Cgroup(
            @Go("*bool") Boolean v1,
            @Go("*bool") Boolean v2,
            @Go("*bool") Boolean systemd,
            @Go("*bool") Boolean systemdUser,
            @Go("*bool") Boolean rdma) {}

    /** What the seccomp implementation recognises. */
    public record Seccomp(
            @Go("*bool") Boolean enabled,
            List<String> actions,
            List<String> operators,
            List<String> archs,
            List<String> knownFlags,
            List<String> supportedFlags) {

        public Seccomp {
            actions = Copy.list(actions);
            operators = Copy.list(operators);
            archs = Copy.list(archs);
            knownFlags = Copy.list(knownFlags);
            supportedFlags = Copy.list(supportedFlags);
        }
    }

    /**
     * The shape shared by {@code apparmor}, {@code selinux}, {@code netDevices} and {@code
     * mountExtensions.idmap}, which are distinct Go types with the same single field.
     */
    public record Enabled(@Go("*bool") Boolean enabled) {}

    /** Intel RDT support. */
    public record IntelRdt(
            @Go("*bool") Boolean enabled,
            @Go("*bool") Boolean schemata,
            @Go("*bool") Boolean monitoring) {}

    /** Known memory policy modes and flags. */
    public record MemoryPolicy(List<String> modes, List<String> flags) {

        public MemoryPolicy {
            modes = Copy.list(modes);
            flags = Copy.list(flags);
        }
    }

    /** Mount extensions. */
    public record MountExtensions(Enabled idmap) {}
}
