package dev.jrun.runtime.container;

import java.nio.file.Files;
import java.nio.file.Path;

/** Which Linux security modules this host runs, read from /sys and /proc without native calls. */
final class HostLsm {
    private HostLsm() {
    }

    /** The attr file (relative to /proc/self) that sets the profile for exec, or null without AppArmor. */
    static String appArmorExecAttr() {
        try {
            Path enabled = Path.of("/sys/module/apparmor/parameters/enabled");
            if (!Files.exists(enabled) || !Files.readString(enabled).trim().startsWith("Y")) {
                return null;
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return Files.exists(Path.of("/proc/self/attr/apparmor/exec")) ? "attr/apparmor/exec" : "attr/exec";
    }

    static boolean selinuxEnabled() {
        return Files.exists(Path.of("/sys/fs/selinux/enforce"));
    }
}
