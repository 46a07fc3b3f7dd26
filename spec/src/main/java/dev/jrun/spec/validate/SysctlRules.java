package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.JsonPath.field;
import static dev.jrun.spec.validate.JsonPath.key;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.LinuxNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Sysctls. /proc/sys is only partly namespaced, so a sysctl is allowed only when the namespace
 * that owns it belongs to the container; anything else would change the host. The rules are
 * runc's (libcontainer/configs/validate).
 */
final class SysctlRules {
    private static final String[] IPC = {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
        "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
    };

    private final Findings f;

    SysctlRules(Findings f) {
        this.f = f;
    }

    void check(Linux linux) {
        Map<String, String> sysctl = linux.sysctl();
        if (sysctl == null) {
            return;
        }
        Boolean hostNetwork = null;
        for (String name : sysctl.keySet()) {
            String at = key(field(Json.Spec.linux, Json.Linux.sysctl), name);
            String s = dotted(name);
            if (Checks.oneOf(s, IPC) || s.startsWith("fs.mqueue.")) {
                if (!linux.hasNamespace("ipc")) {
                    f.error(at, "needs an IPC namespace in linux.namespaces");
                }
            } else if (s.startsWith("net.")) {
                if (hostNetwork == null) {
                    hostNetwork = hostNetwork(linux, at);
                }
                if (hostNetwork) {
                    f.error(at, "not allowed in the host network namespace");
                }
            } else if (linux.hasNamespace("uts") && s.equals("kernel.domainname")) {
                continue;
            } else if (linux.hasNamespace("uts") && s.equals("kernel.hostname")) {
                f.error(at, "not allowed: use the hostname field instead");
            } else if (s.startsWith("user.")) {
                if (!linux.hasNamespace("user")) {
                    f.error(at, "needs a user namespace in linux.namespaces");
                }
            } else {
                f.error(at, "not in a namespace the container owns: setting it would change the host");
            }
        }
    }

    /**
     * Whether the container would share the network namespace of this process: it has none of
     * its own, or it joins the one this process is in. An unusable path is reported once.
     */
    private boolean hostNetwork(Linux linux, String at) {
        LinuxNamespace net = linux.namespace("network");
        if (net == null) {
            return true;
        }
        if (net.isNew()) {
            return false;
        }
        try {
            return Files.isSameFile(Path.of(net.path()), Path.of("/proc/self/ns/net"));
        } catch (IOException | RuntimeException e) {
            f.error(at, "cannot check the network namespace " + net.path() + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * sysctl(8) also accepts '/' as the separator, in which case '.' may appear inside a
     * component ("net/ipv4/conf/eth0.100/rp_filter"); swap them to get the dotted name.
     */
    static String dotted(String name) {
        int sep = -1;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.' || c == '/') {
                sep = i;
                break;
            }
        }
        if (sep < 0 || name.charAt(sep) == '.') {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(c == '/' ? '.' : c == '.' ? '/' : c);
        }
        return sb.toString();
    }
}
