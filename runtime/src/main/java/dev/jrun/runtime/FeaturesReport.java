package dev.jrun.runtime;

import dev.jrun.spec.linux.MountOptions;
import dev.jrun.spec.linux.NamespaceType;
import dev.jrun.runtime.plan.ProcessAttributes;
import dev.jrun.runtime.seccomp.SeccompFeatures;
import dev.jrun.spec.OciVersion;
import dev.jrun.spec.linux.Capabilities;
import dev.jrun.spec.model.Features;
import java.util.List;

/**
 * The features document (`jrun features`), built from the same tables the plan compiler uses,
 * so it can never claim an option or feature that create would not carry out.
 */
public final class FeaturesReport {
    /** The hooks jrun runs, in the order the spec lists them. */
    public static final List<String> HOOKS = List.of("prestart", "createRuntime", "createContainer", "startContainer",
            "poststart", "poststop");

    private FeaturesReport() {
    }

    private static List<String> mountOptions() {
        return MountOptions.all();
    }

    public static Features build() {
        return build(null);
    }

    /** @param annotations what this host adds (checkpoint support), or null */
    public static Features build(java.util.Map<String, String> annotations) {
        Features.Linux linux = new Features.Linux(
                NamespaceType.types(),
                Capabilities.all(),
                new Features.Cgroup(true, true, false, false, true),
                SeccompFeatures.detect(),
                new Features.Enabled(true),
                new Features.Enabled(true),
                new Features.IntelRdt(false, null, null),
                new Features.MemoryPolicy(List.copyOf(ProcessAttributes.MEMPOLICY_MODES.keySet()),
                        List.copyOf(ProcessAttributes.MEMPOLICY_FLAGS.keySet())),
                new Features.MountExtensions(new Features.Enabled(true)),
                new Features.Enabled(false));
        return new Features(OciVersion.MIN, OciVersion.CURRENT, HOOKS, mountOptions(), linux, annotations, null);
    }
}
