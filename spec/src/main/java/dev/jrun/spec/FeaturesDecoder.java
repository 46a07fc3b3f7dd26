package dev.jrun.spec;

import dev.jrun.spec.model.Features;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Decodes the features document; same conventions as {@link SpecDecoder}. */
final class FeaturesDecoder {
    private final JsonIn in;

    FeaturesDecoder(JsonIn in) {
        this.in = in;
    }

    Features features() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String ociVersionMin = null;
        String ociVersionMax = null;
        List<String> hooks = null;
        List<String> mountOptions = null;
        Features.Linux linux = null;
        Map<String, String> annotations = null;
        List<String> unsafeAnnotations = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "ociVersionMin" -> ociVersionMin = in.string();
                case "ociVersionMax" -> ociVersionMax = in.string();
                case "hooks" -> hooks = in.strings();
                case "mountOptions" -> mountOptions = in.strings();
                case "linux" -> linux = linux();
                case "annotations" -> annotations = in.stringMap();
                case "potentiallyUnsafeConfigAnnotations" -> unsafeAnnotations = in.strings();
                default -> in.skipValue();
            }
        }
        return new Features(ociVersionMin, ociVersionMax, hooks, mountOptions, linux, annotations,
                unsafeAnnotations);
    }

    private Features.Linux linux() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        List<String> namespaces = null;
        List<String> capabilities = null;
        Features.Cgroup cgroup = null;
        Features.Seccomp seccomp = null;
        Features.Enabled apparmor = null;
        Features.Enabled selinux = null;
        Features.IntelRdt intelRdt = null;
        Features.MemoryPolicy memoryPolicy = null;
        Features.MountExtensions mountExtensions = null;
        Features.Enabled netDevices = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "namespaces" -> namespaces = in.strings();
                case "capabilities" -> capabilities = in.strings();
                case "cgroup" -> cgroup = cgroup();
                case "seccomp" -> seccomp = seccomp();
                case "apparmor" -> apparmor = enabled();
                case "selinux" -> selinux = enabled();
                case "intelRdt" -> intelRdt = intelRdt();
                case "memoryPolicy" -> memoryPolicy = memoryPolicy();
                case "mountExtensions" -> mountExtensions = mountExtensions();
                case "netDevices" -> netDevices = enabled();
                default -> in.skipValue();
            }
        }
        return new Features.Linux(namespaces, capabilities, cgroup, seccomp, apparmor, selinux,
                intelRdt, memoryPolicy, mountExtensions, netDevices);
    }

    private Features.Cgroup cgroup() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Boolean v1 = null;
        Boolean v2 = null;
        Boolean systemd = null;
        Boolean systemdUser = null;
        Boolean rdma = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "v1" -> v1 = in.bool();
                case "v2" -> v2 = in.bool();
                case "systemd" -> systemd = in.bool();
                case "systemdUser" -> systemdUser = in.bool();
                case "rdma" -> rdma = in.bool();
                default -> in.skipValue();
            }
        }
        return new Features.Cgroup(v1, v2, systemd, systemdUser, rdma);
    }

    private Features.Seccomp seccomp() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Boolean enabled = null;
        List<String> actions = null;
        List<String> operators = null;
        List<String> archs = null;
        List<String> knownFlags = null;
        List<String> supportedFlags = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "enabled" -> enabled = in.bool();
                case "actions" -> actions = in.strings();
                case "operators" -> operators = in.strings();
                case "archs" -> archs = in.strings();
                case "knownFlags" -> knownFlags = in.strings();
                case "supportedFlags" -> supportedFlags = in.strings();
                default -> in.skipValue();
            }
        }
        return new Features.Seccomp(enabled, actions, operators, archs, knownFlags, supportedFlags);
    }

    private Features.Enabled enabled() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Boolean enabled = null;
        for (String f; (f = in.nextField()) != null; ) {
            if (f.equals("enabled")) {
                enabled = in.bool();
            } else {
                in.skipValue();
            }
        }
        return new Features.Enabled(enabled);
    }

    private Features.IntelRdt intelRdt() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Boolean enabled = null;
        Boolean schemata = null;
        Boolean monitoring = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "enabled" -> enabled = in.bool();
                case "schemata" -> schemata = in.bool();
                case "monitoring" -> monitoring = in.bool();
                default -> in.skipValue();
            }
        }
        return new Features.IntelRdt(enabled, schemata, monitoring);
    }

    private Features.MemoryPolicy memoryPolicy() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        List<String> modes = null;
        List<String> flags = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "modes" -> modes = in.strings();
                case "flags" -> flags = in.strings();
                default -> in.skipValue();
            }
        }
        return new Features.MemoryPolicy(modes, flags);
    }

    private Features.MountExtensions mountExtensions() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Features.Enabled idmap = null;
        for (String f; (f = in.nextField()) != null; ) {
            if (f.equals("idmap")) {
                idmap = enabled();
            } else {
                in.skipValue();
            }
        }
        return new Features.MountExtensions(idmap);
    }
}
