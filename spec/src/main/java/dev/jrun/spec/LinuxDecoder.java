package dev.jrun.spec;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.LinuxDevice;
import dev.jrun.spec.model.LinuxIDMapping;
import dev.jrun.spec.model.LinuxIntelRdt;
import dev.jrun.spec.model.LinuxMemoryPolicy;
import dev.jrun.spec.model.LinuxNamespace;
import dev.jrun.spec.model.LinuxNetDevice;
import dev.jrun.spec.model.LinuxPersonality;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.LinuxSeccomp;
import dev.jrun.spec.model.LinuxSeccompArg;
import dev.jrun.spec.model.LinuxSyscall;
import dev.jrun.spec.model.LinuxTimeOffset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes the {@code linux} section of config.json; same conventions as {@link SpecDecoder}. */
final class LinuxDecoder {
    private final JsonIn in;

    LinuxDecoder(JsonIn in) {
        this.in = in;
    }

    Linux linux() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        List<LinuxIDMapping> uidMappings = null;
        List<LinuxIDMapping> gidMappings = null;
        Map<String, String> sysctl = null;
        LinuxResources resources = null;
        String cgroupsPath = null;
        List<LinuxNamespace> namespaces = null;
        List<LinuxDevice> devices = null;
        Map<String, LinuxNetDevice> netDevices = null;
        LinuxSeccomp seccomp = null;
        String rootfsPropagation = null;
        List<String> maskedPaths = null;
        List<String> readonlyPaths = null;
        String mountLabel = null;
        LinuxIntelRdt intelRdt = null;
        LinuxMemoryPolicy memoryPolicy = null;
        LinuxPersonality personality = null;
        Map<String, LinuxTimeOffset> timeOffsets = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "uidMappings" -> uidMappings = SpecDecoder.idMappings(in);
                case "gidMappings" -> gidMappings = SpecDecoder.idMappings(in);
                case "sysctl" -> sysctl = in.stringMap();
                case "resources" -> resources = new ResourcesDecoder(in).resources();
                case "cgroupsPath" -> cgroupsPath = in.string();
                case "namespaces" -> namespaces = namespaces();
                case "devices" -> devices = devices();
                case "netDevices" -> netDevices = netDevices();
                case "seccomp" -> seccomp = seccomp();
                case "rootfsPropagation" -> rootfsPropagation = in.string();
                case "maskedPaths" -> maskedPaths = in.strings();
                case "readonlyPaths" -> readonlyPaths = in.strings();
                case "mountLabel" -> mountLabel = in.string();
                case "intelRdt" -> intelRdt = intelRdt();
                case "memoryPolicy" -> memoryPolicy = memoryPolicy();
                case "personality" -> personality = personality();
                case "timeOffsets" -> timeOffsets = timeOffsets();
                default -> in.skipValue();
            }
        }
        return new Linux(uidMappings, gidMappings, sysctl, resources, cgroupsPath, namespaces,
                devices, netDevices, seccomp, rootfsPropagation, maskedPaths, readonlyPaths,
                mountLabel, intelRdt, memoryPolicy, personality, timeOffsets);
    }

    private List<LinuxNamespace> namespaces() throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<LinuxNamespace> list = new ArrayList<>();
        while (in.nextElement()) {
            LinuxNamespace ns = namespace();
            list.add(ns != null ? ns : new LinuxNamespace(null, null));
        }
        return list;
    }

    private LinuxNamespace namespace() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String type = null;
        String path = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "type" -> type = in.string();
                case "path" -> path = in.string();
                default -> in.skipValue();
            }
        }
        return new LinuxNamespace(type, path);
    }

    private List<LinuxDevice> devices() throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<LinuxDevice> list = new ArrayList<>();
        while (in.nextElement()) {
            LinuxDevice d = device();
            list.add(d != null ? d : new LinuxDevice(null, null, null, null, null, null, null));
        }
        return list;
    }

    private LinuxDevice device() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String path = null;
        String type = null;
        Long major = null;
        Long minor = null;
        Long fileMode = null;
        Long uid = null;
        Long gid = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "path" -> path = in.string();
                case "type" -> type = in.string();
                case "major" -> major = in.int64();
                case "minor" -> minor = in.int64();
                case "fileMode" -> fileMode = in.uint32();
                case "uid" -> uid = in.uint32();
                case "gid" -> gid = in.uint32();
                default -> in.skipValue();
            }
        }
        return new LinuxDevice(path, type, major, minor, fileMode, uid, gid);
    }

    private Map<String, LinuxNetDevice> netDevices() throws IOException {
        if (!in.beginMap()) {
            return null;
        }
        Map<String, LinuxNetDevice> map = new LinkedHashMap<>();
        for (String key; (key = in.nextKey()) != null; ) {
            LinuxNetDevice d = netDevice();
            map.put(key, d != null ? d : new LinuxNetDevice(null));
        }
        return map;
    }

    private LinuxNetDevice netDevice() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String name = null;
        for (String f; (f = in.nextField()) != null; ) {
            if (f.equals("name")) {
                name = in.string();
            } else {
                in.skipValue();
            }
        }
        return new LinuxNetDevice(name);
    }

    private LinuxSeccomp seccomp() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String defaultAction = null;
        Long defaultErrnoRet = null;
        List<String> architectures = null;
        List<String> flags = null;
        String listenerPath = null;
        String listenerMetadata = null;
        List<LinuxSyscall> syscalls = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "defaultAction" -> defaultAction = in.string();
                case "defaultErrnoRet" -> defaultErrnoRet = in.uint64();
                case "architectures" -> architectures = in.strings();
                case "flags" -> flags = in.strings();
                case "listenerPath" -> listenerPath = in.string();
                case "listenerMetadata" -> listenerMetadata = in.string();
                case "syscalls" -> syscalls = syscalls();
                default -> in.skipValue();
            }
        }
        return new LinuxSeccomp(defaultAction, defaultErrnoRet, architectures, flags,
                listenerPath, listenerMetadata, syscalls);
    }

    private List<LinuxSyscall> syscalls() throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<LinuxSyscall> list = new ArrayList<>();
        while (in.nextElement()) {
            LinuxSyscall s = syscall();
            list.add(s != null ? s : new LinuxSyscall(null, null, null, null));
        }
        return list;
    }

    private LinuxSyscall syscall() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        List<String> names = null;
        String action = null;
        Long errnoRet = null;
        List<LinuxSeccompArg> args = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "names" -> names = in.strings();
                case "action" -> action = in.string();
                case "errnoRet" -> errnoRet = in.uint64();
                case "args" -> args = seccompArgs();
                default -> in.skipValue();
            }
        }
        return new LinuxSyscall(names, action, errnoRet, args);
    }

    private List<LinuxSeccompArg> seccompArgs() throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<LinuxSeccompArg> list = new ArrayList<>();
        while (in.nextElement()) {
            LinuxSeccompArg a = seccompArg();
            list.add(a != null ? a : new LinuxSeccompArg(null, null, null, null));
        }
        return list;
    }

    private LinuxSeccompArg seccompArg() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Long index = null;
        Long value = null;
        Long valueTwo = null;
        String op = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "index" -> index = in.uint64();
                case "value" -> value = in.uint64();
                case "valueTwo" -> valueTwo = in.uint64();
                case "op" -> op = in.string();
                default -> in.skipValue();
            }
        }
        return new LinuxSeccompArg(index, value, valueTwo, op);
    }

    private LinuxIntelRdt intelRdt() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String closID = null;
        List<String> schemata = null;
        String l3CacheSchema = null;
        String memBwSchema = null;
        Boolean enableMonitoring = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "closID" -> closID = in.string();
                case "schemata" -> schemata = in.strings();
                case "l3CacheSchema" -> l3CacheSchema = in.string();
                case "memBwSchema" -> memBwSchema = in.string();
                case "enableMonitoring" -> enableMonitoring = in.bool();
                default -> in.skipValue();
            }
        }
        return new LinuxIntelRdt(closID, schemata, l3CacheSchema, memBwSchema, enableMonitoring);
    }

    private LinuxMemoryPolicy memoryPolicy() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String mode = null;
        String nodes = null;
        List<String> flags = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "mode" -> mode = in.string();
                case "nodes" -> nodes = in.string();
                case "flags" -> flags = in.strings();
                default -> in.skipValue();
            }
        }
        return new LinuxMemoryPolicy(mode, nodes, flags);
    }

    private LinuxPersonality personality() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String domain = null;
        List<String> flags = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "domain" -> domain = in.string();
                case "flags" -> flags = in.strings();
                default -> in.skipValue();
            }
        }
        return new LinuxPersonality(domain, flags);
    }

    private Map<String, LinuxTimeOffset> timeOffsets() throws IOException {
        if (!in.beginMap()) {
            return null;
        }
        Map<String, LinuxTimeOffset> map = new LinkedHashMap<>();
        for (String key; (key = in.nextKey()) != null; ) {
            LinuxTimeOffset t = timeOffset();
            map.put(key, t != null ? t : new LinuxTimeOffset(null, null));
        }
        return map;
    }

    private LinuxTimeOffset timeOffset() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Long secs = null;
        Long nanosecs = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "secs" -> secs = in.int64();
                case "nanosecs" -> nanosecs = in.uint32();
                default -> in.skipValue();
            }
        }
        return new LinuxTimeOffset(secs, nanosecs);
    }
}
