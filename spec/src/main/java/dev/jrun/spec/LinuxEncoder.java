package dev.jrun.spec;

import static dev.jrun.spec.GoFields.boolOmit;
import static dev.jrun.spec.GoFields.number;
import static dev.jrun.spec.GoFields.numberOmit;
import static dev.jrun.spec.GoFields.numberPtr;
import static dev.jrun.spec.GoFields.present;
import static dev.jrun.spec.GoFields.string;
import static dev.jrun.spec.GoFields.stringMapOmit;
import static dev.jrun.spec.GoFields.stringOmit;
import static dev.jrun.spec.GoFields.strings;
import static dev.jrun.spec.GoFields.stringsOmit;
import static dev.jrun.spec.GoFields.unsigned;
import static dev.jrun.spec.GoFields.unsignedOmit;
import static dev.jrun.spec.GoFields.unsignedPtr;

import dev.jrun.spec.json.GoJson;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.LinuxDevice;
import dev.jrun.spec.model.LinuxIntelRdt;
import dev.jrun.spec.model.LinuxMemoryPolicy;
import dev.jrun.spec.model.LinuxNamespace;
import dev.jrun.spec.model.LinuxNetDevice;
import dev.jrun.spec.model.LinuxPersonality;
import dev.jrun.spec.model.LinuxSeccomp;
import dev.jrun.spec.model.LinuxSeccompArg;
import dev.jrun.spec.model.LinuxSyscall;
import dev.jrun.spec.model.LinuxTimeOffset;

/** Writes the {@code linux} section; same conventions as {@link SpecEncoder}. */
final class LinuxEncoder {
    private final GoJson out;

    LinuxEncoder(GoJson out) {
        this.out = out;
    }

    void linux(Linux l) {
        out.beginObject();
        SpecEncoder.idMappingsOmit(out, "uidMappings", l.uidMappings());
        SpecEncoder.idMappingsOmit(out, "gidMappings", l.gidMappings());
        stringMapOmit(out, "sysctl", l.sysctl());
        if (l.resources() != null) {
            out.name("resources");
            new ResourcesEncoder(out).resources(l.resources());
        }
        stringOmit(out, "cgroupsPath", l.cgroupsPath());
        if (present(l.namespaces())) {
            out.name("namespaces").beginArray();
            for (LinuxNamespace ns : l.namespaces()) {
                out.beginObject();
                string(out, "type", ns.type());
                stringOmit(out, "path", ns.path());
                out.endObject();
            }
            out.endArray();
        }
        if (present(l.devices())) {
            out.name("devices").beginArray();
            for (LinuxDevice d : l.devices()) {
                device(d);
            }
            out.endArray();
        }
        if (present(l.netDevices())) {
            out.name("netDevices").beginObject();
            for (String key : GoJson.sortedKeys(l.netDevices())) {
                LinuxNetDevice d = l.netDevices().get(key);
                out.name(key).beginObject();
                stringOmit(out, "name", d.name());
                out.endObject();
            }
            out.endObject();
        }
        if (l.seccomp() != null) {
            out.name("seccomp");
            seccomp(l.seccomp());
        }
        stringOmit(out, "rootfsPropagation", l.rootfsPropagation());
        stringsOmit(out, "maskedPaths", l.maskedPaths());
        stringsOmit(out, "readonlyPaths", l.readonlyPaths());
        stringOmit(out, "mountLabel", l.mountLabel());
        if (l.intelRdt() != null) {
            out.name("intelRdt");
            intelRdt(l.intelRdt());
        }
        if (l.memoryPolicy() != null) {
            LinuxMemoryPolicy mp = l.memoryPolicy();
            out.name("memoryPolicy").beginObject();
            string(out, "mode", mp.mode());
            string(out, "nodes", mp.nodes());
            stringsOmit(out, "flags", mp.flags());
            out.endObject();
        }
        if (l.personality() != null) {
            LinuxPersonality p = l.personality();
            out.name("personality").beginObject();
            string(out, "domain", p.domain());
            stringsOmit(out, "flags", p.flags());
            out.endObject();
        }
        if (present(l.timeOffsets())) {
            out.name("timeOffsets").beginObject();
            for (String clock : GoJson.sortedKeys(l.timeOffsets())) {
                LinuxTimeOffset t = l.timeOffsets().get(clock);
                out.name(clock).beginObject();
                numberOmit(out, "secs", t.secs());
                numberOmit(out, "nanosecs", t.nanosecs());
                out.endObject();
            }
            out.endObject();
        }
        out.endObject();
    }

    private void device(LinuxDevice d) {
        out.beginObject();
        string(out, "path", d.path());
        string(out, "type", d.type());
        number(out, "major", d.major());
        number(out, "minor", d.minor());
        numberPtr(out, "fileMode", d.fileMode());
        numberPtr(out, "uid", d.uid());
        numberPtr(out, "gid", d.gid());
        out.endObject();
    }

    private void seccomp(LinuxSeccomp s) {
        out.beginObject();
        string(out, "defaultAction", s.defaultAction());
        unsignedPtr(out, "defaultErrnoRet", s.defaultErrnoRet());
        stringsOmit(out, "architectures", s.architectures());
        stringsOmit(out, "flags", s.flags());
        stringOmit(out, "listenerPath", s.listenerPath());
        stringOmit(out, "listenerMetadata", s.listenerMetadata());
        if (present(s.syscalls())) {
            out.name("syscalls").beginArray();
            for (LinuxSyscall sc : s.syscalls()) {
                syscall(sc);
            }
            out.endArray();
        }
        out.endObject();
    }

    private void syscall(LinuxSyscall s) {
        out.beginObject();
        strings(out, "names", s.names());
        string(out, "action", s.action());
        unsignedPtr(out, "errnoRet", s.errnoRet());
        if (present(s.args())) {
            out.name("args").beginArray();
            for (LinuxSeccompArg a : s.args()) {
                out.beginObject();
                unsigned(out, "index", a.index());
                unsigned(out, "value", a.value());
                unsignedOmit(out, "valueTwo", a.valueTwo());
                string(out, "op", a.op());
                out.endObject();
            }
            out.endArray();
        }
        out.endObject();
    }

    private void intelRdt(LinuxIntelRdt r) {
        out.beginObject();
        stringOmit(out, "closID", r.closID());
        stringsOmit(out, "schemata", r.schemata());
        stringOmit(out, "l3CacheSchema", r.l3CacheSchema());
        stringOmit(out, "memBwSchema", r.memBwSchema());
        boolOmit(out, "enableMonitoring", r.enableMonitoring());
        out.endObject();
    }
}
