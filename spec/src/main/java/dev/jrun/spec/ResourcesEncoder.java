package dev.jrun.spec;

import static dev.jrun.spec.GoFields.bool;
import static dev.jrun.spec.GoFields.boolPtr;
import static dev.jrun.spec.GoFields.number;
import static dev.jrun.spec.GoFields.numberPtr;
import static dev.jrun.spec.GoFields.present;
import static dev.jrun.spec.GoFields.string;
import static dev.jrun.spec.GoFields.stringMapOmit;
import static dev.jrun.spec.GoFields.stringOmit;
import static dev.jrun.spec.GoFields.unsigned;
import static dev.jrun.spec.GoFields.unsignedPtr;

import dev.jrun.spec.json.GoJson;
import dev.jrun.spec.model.LinuxBlockIO;
import dev.jrun.spec.model.LinuxCPU;
import dev.jrun.spec.model.LinuxDeviceCgroup;
import dev.jrun.spec.model.LinuxHugepageLimit;
import dev.jrun.spec.model.LinuxInterfacePriority;
import dev.jrun.spec.model.LinuxMemory;
import dev.jrun.spec.model.LinuxNetwork;
import dev.jrun.spec.model.LinuxRdma;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.LinuxThrottleDevice;
import dev.jrun.spec.model.LinuxWeightDevice;
import java.util.List;

/** Writes {@code LinuxResources}; same conventions as {@link SpecEncoder}. */
final class ResourcesEncoder {
    private final GoJson out;

    ResourcesEncoder(GoJson out) {
        this.out = out;
    }

    void resources(LinuxResources r) {
        out.beginObject();
        if (present(r.devices())) {
            out.name("devices").beginArray();
            for (LinuxDeviceCgroup d : r.devices()) {
                out.beginObject();
                bool(out, "allow", d.allow());
                stringOmit(out, "type", d.type());
                numberPtr(out, "major", d.major());
                numberPtr(out, "minor", d.minor());
                stringOmit(out, "access", d.access());
                out.endObject();
            }
            out.endArray();
        }
        if (r.memory() != null) {
            out.name("memory");
            memory(r.memory());
        }
        if (r.cpu() != null) {
            out.name("cpu");
            cpu(r.cpu());
        }
        if (r.pids() != null) {
            out.name("pids").beginObject();
            numberPtr(out, "limit", r.pids().limit());
            out.endObject();
        }
        if (r.blockIO() != null) {
            out.name("blockIO");
            blockIO(r.blockIO());
        }
        if (present(r.hugepageLimits())) {
            out.name("hugepageLimits").beginArray();
            for (LinuxHugepageLimit h : r.hugepageLimits()) {
                out.beginObject();
                string(out, "pageSize", h.pageSize());
                unsigned(out, "limit", h.limit());
                out.endObject();
            }
            out.endArray();
        }
        if (r.network() != null) {
            out.name("network");
            network(r.network());
        }
        if (present(r.rdma())) {
            out.name("rdma").beginObject();
            for (String device : GoJson.sortedKeys(r.rdma())) {
                LinuxRdma limits = r.rdma().get(device);
                out.name(device).beginObject();
                numberPtr(out, "hcaHandles", limits.hcaHandles());
                numberPtr(out, "hcaObjects", limits.hcaObjects());
                out.endObject();
            }
            out.endObject();
        }
        stringMapOmit(out, "unified", r.unified());
        out.endObject();
    }

    private void memory(LinuxMemory m) {
        out.beginObject();
        numberPtr(out, "limit", m.limit());
        numberPtr(out, "reservation", m.reservation());
        numberPtr(out, "swap", m.swap());
        numberPtr(out, "kernel", m.kernel());
        numberPtr(out, "kernelTCP", m.kernelTCP());
        unsignedPtr(out, "swappiness", m.swappiness());
        boolPtr(out, "disableOOMKiller", m.disableOOMKiller());
        boolPtr(out, "useHierarchy", m.useHierarchy());
        boolPtr(out, "checkBeforeUpdate", m.checkBeforeUpdate());
        out.endObject();
    }

    private void cpu(LinuxCPU c) {
        out.beginObject();
        unsignedPtr(out, "shares", c.shares());
        numberPtr(out, "quota", c.quota());
        unsignedPtr(out, "burst", c.burst());
        unsignedPtr(out, "period", c.period());
        numberPtr(out, "realtimeRuntime", c.realtimeRuntime());
        unsignedPtr(out, "realtimePeriod", c.realtimePeriod());
        stringOmit(out, "cpus", c.cpus());
        stringOmit(out, "mems", c.mems());
        numberPtr(out, "idle", c.idle());
        out.endObject();
    }

    private void blockIO(LinuxBlockIO b) {
        out.beginObject();
        numberPtr(out, "weight", b.weight());
        numberPtr(out, "leafWeight", b.leafWeight());
        if (present(b.weightDevice())) {
            out.name("weightDevice").beginArray();
            for (LinuxWeightDevice d : b.weightDevice()) {
                out.beginObject();
                number(out, "major", d.major());
                number(out, "minor", d.minor());
                numberPtr(out, "weight", d.weight());
                numberPtr(out, "leafWeight", d.leafWeight());
                out.endObject();
            }
            out.endArray();
        }
        throttle("throttleReadBpsDevice", b.throttleReadBpsDevice());
        throttle("throttleWriteBpsDevice", b.throttleWriteBpsDevice());
        throttle("throttleReadIOPSDevice", b.throttleReadIOPSDevice());
        throttle("throttleWriteIOPSDevice", b.throttleWriteIOPSDevice());
        out.endObject();
    }

    private void throttle(String name, List<LinuxThrottleDevice> devices) {
        if (!present(devices)) {
            return;
        }
        out.name(name).beginArray();
        for (LinuxThrottleDevice d : devices) {
            out.beginObject();
            number(out, "major", d.major());
            number(out, "minor", d.minor());
            unsigned(out, "rate", d.rate());
            out.endObject();
        }
        out.endArray();
    }

    private void network(LinuxNetwork n) {
        out.beginObject();
        numberPtr(out, "classID", n.classID());
        if (present(n.priorities())) {
            out.name("priorities").beginArray();
            for (LinuxInterfacePriority p : n.priorities()) {
                out.beginObject();
                string(out, "name", p.name());
                number(out, "priority", p.priority());
                out.endObject();
            }
            out.endArray();
        }
        out.endObject();
    }
}
