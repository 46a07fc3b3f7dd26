package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.JsonPath.field;
import static dev.jrun.spec.validate.JsonPath.key;

import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import java.nio.file.Path;

/**
 * Checks documents that decoded without problems against the runtime-spec's requirements (the
 * MUSTs of config.md and config-linux.md, v1.3.0) and the rules runc adds for safety. Every
 * problem is reported, not just the first, as {@code <source>: <json.path>: <reason>}.
 *
 * <p>Only what can be judged from the document (and, for the root filesystem and sysctls, the
 * file system) is checked here. Whether the host supports a feature (a namespace type, seccomp
 * notify, SELinux, rootless restrictions) is the runtime's concern.
 */
public final class Validator {
    private static final String CONFIG = "config.json";

    private Validator() {}

    /**
     * Validates a config for {@code create} or {@code run}: the process is required.
     *
     * @param bundleDir the bundle, against which a relative {@code root.path} is resolved
     */
    public static Report validate(Spec spec, Path bundleDir) {
        Findings f = new Findings(CONFIG);
        new RootRules(f).check(spec.root(), bundleDir);
        if (spec.process() == null) {
            f.error(Json.Spec.process, "must be set");
        } else {
            new ProcessRules(f).check(spec.process(), Json.Spec.process);
        }
        if (spec.mounts() != null) {
            new MountRules(f).check(spec.mounts(), spec.linux());
        }
        if (spec.hooks() != null) {
            new HookRules(f).check(spec.hooks());
        }
        if (spec.annotations() != null && spec.annotations().containsKey("")) {
            f.error(key(Json.Spec.annotations, ""), "keys must not be empty");
        }
        new NamespaceRules(f).check(spec);
        if (spec.linux() != null) {
            new SysctlRules(f).check(spec.linux());
            if (spec.linux().resources() != null) {
                String at = field(Json.Spec.linux, Json.Linux.resources);
                new ResourceRules(f, false).check(spec.linux().resources(), at);
            }
            if (spec.linux().devices() != null) {
                new DeviceNodeRules(f).check(spec.linux().devices());
            }
            if (spec.linux().seccomp() != null) {
                new SeccompRules(f).check(spec.linux().seccomp());
            }
            new LinuxRules(f).check(spec.linux());
        }
        return f.report();
    }

    /** Validates the process of {@code exec}; problems name the source {@code process.json}. */
    public static Report validateProcess(Process process) {
        return validateProcess(process, "process.json");
    }

    /**
     * Validates the process of {@code exec}, read from its own file; paths are relative to the
     * process object ({@code p.json: args: must not be empty}).
     */
    public static Report validateProcess(Process process, String source) {
        Findings f = new Findings(source);
        new ProcessRules(f).check(process, "");
        return f.report();
    }

    /**
     * Validates the resources of {@code update}. Absent fields mean "keep the current value", so
     * checks that need a companion field (swap needs a memory limit) are left to the runtime,
     * which knows the current values.
     */
    public static Report validateResources(LinuxResources resources, String source) {
        Findings f = new Findings(source);
        new ResourceRules(f, true).check(resources, "");
        return f.report();
    }
}
