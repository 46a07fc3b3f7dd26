package dev.jrun.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.jrun.runtime.cgroups.CgroupStats;
import dev.jrun.runtime.cgroups.CgroupStats.BlkioEntry;
import dev.jrun.runtime.cgroups.CgroupStats.CpuSet;
import dev.jrun.runtime.cgroups.CgroupStats.CpuUsage;
import dev.jrun.runtime.cgroups.CgroupStats.Hugetlb;
import dev.jrun.runtime.cgroups.CgroupStats.Memory;
import dev.jrun.runtime.cgroups.CgroupStats.MemoryEntry;
import dev.jrun.runtime.cgroups.CgroupStats.Psi;
import dev.jrun.runtime.cgroups.CgroupStats.PsiData;
import dev.jrun.runtime.cgroups.CgroupStats.Throttling;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lines `events` prints, as runc's types.Event: the fields, their names and their omission
 * rules are those of runc's types.Stats as Go's encoding/json writes it (omitempty/omitzero
 * fields left out when zero; intel_rdt always {}, network_interfaces always null).
 */
final class EventJson {
    private EventJson() {
    }

    /** {"type":"stats","id":ID,"data":{...}} as one line of JSON, without the newline. */
    static String stats(String id, CgroupStats stats) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("type", "stats");
            g.writeStringField("id", id);
            g.writeFieldName("data");
            data(g, stats);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** {"type":"oom","id":ID}: the kernel OOM-killed a process of the container. */
    static String oom(String id) {
        return "{\"type\":\"oom\",\"id\":" + Log.quote(id) + "}";
    }

    private static void data(JsonGenerator g, CgroupStats s) throws IOException {
        g.writeStartObject();
        cpu(g, s.cpu());
        cpuset(g, s.cpuset());
        memory(g, s.memory());

        g.writeObjectFieldStart("pids");
        omitZero(g, "current", s.pids().current());
        omitZero(g, "limit", s.pids().limit());
        g.writeEndObject();

        g.writeObjectFieldStart("blkio");
        blkioList(g, "ioServiceBytesRecursive", s.blkio().ioServiceBytesRecursive());
        blkioList(g, "ioServicedRecursive", s.blkio().ioServicedRecursive());
        blkioList(g, "ioQueueRecursive", s.blkio().ioQueuedRecursive());
        blkioList(g, "ioServiceTimeRecursive", s.blkio().ioServiceTimeRecursive());
        blkioList(g, "ioWaitTimeRecursive", s.blkio().ioWaitTimeRecursive());
        blkioList(g, "ioMergedRecursive", s.blkio().ioMergedRecursive());
        blkioList(g, "ioTimeRecursive", s.blkio().ioTimeRecursive());
        blkioList(g, "sectorsRecursive", s.blkio().sectorsRecursive());
        psi(g, s.blkio().psi());
        g.writeEndObject();

        g.writeObjectFieldStart("hugetlb");
        for (Map.Entry<String, Hugetlb> e : s.hugetlb().entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            omitZero(g, "usage", e.getValue().usage());
            omitZero(g, "max", e.getValue().max());
            number(g, "failcnt", e.getValue().failcnt());
            g.writeEndObject();
        }
        g.writeEndObject();

        g.writeObjectFieldStart("intel_rdt");
        g.writeEndObject();
        g.writeNullField("network_interfaces");
        g.writeEndObject();
    }

    private static void cpu(JsonGenerator g, CgroupStats.Cpu cpu) throws IOException {
        g.writeObjectFieldStart("cpu");
        CpuUsage u = cpu.usage();
        if (u.total() != 0 || !u.percpu().isEmpty() || !u.percpuKernel().isEmpty() || !u.percpuUser().isEmpty()
                || u.kernel() != 0 || u.user() != 0) {
            g.writeObjectFieldStart("usage");
            omitZero(g, "total", u.total());
            omitEmpty(g, "percpu", u.percpu());
            omitEmpty(g, "percpu_kernel", u.percpuKernel());
            omitEmpty(g, "percpu_user", u.percpuUser());
            number(g, "kernel", u.kernel());
            number(g, "user", u.user());
            g.writeEndObject();
        }
        Throttling t = cpu.throttling();
        if (t.periods() != 0 || t.throttledPeriods() != 0 || t.throttledTime() != 0) {
            g.writeObjectFieldStart("throttling");
            omitZero(g, "periods", t.periods());
            omitZero(g, "throttledPeriods", t.throttledPeriods());
            omitZero(g, "throttledTime", t.throttledTime());
            g.writeEndObject();
        }
        psi(g, cpu.psi());
        g.writeEndObject();
    }

    private static void cpuset(JsonGenerator g, CpuSet cpuset) throws IOException {
        g.writeObjectFieldStart("cpuset");
        ids(g, "cpus", cpuset.cpus());
        number(g, "cpu_exclusive", cpuset.cpuExclusive());
        ids(g, "mems", cpuset.mems());
        number(g, "mem_hardwall", cpuset.memHardwall());
        number(g, "mem_exclusive", cpuset.memExclusive());
        number(g, "memory_migrate", cpuset.memoryMigrate());
        number(g, "memory_spread_page", cpuset.memorySpreadPage());
        number(g, "memory_spread_slab", cpuset.memorySpreadSlab());
        number(g, "memory_pressure", cpuset.memoryPressure());
        number(g, "sched_load_balance", cpuset.schedLoadBalance());
        g.writeNumberField("sched_relax_domain_level", cpuset.schedRelaxDomainLevel());
        g.writeEndObject();
    }

    private static void memory(JsonGenerator g, Memory memory) throws IOException {
        g.writeObjectFieldStart("memory");
        omitZero(g, "cache", memory.cache());
        memoryEntry(g, "usage", memory.usage());
        memoryEntry(g, "swap", memory.swap());
        memoryEntry(g, "kernel", memory.kernel());
        memoryEntry(g, "kernelTCP", memory.kernelTCP());
        if (!memory.raw().isEmpty()) {
            g.writeObjectFieldStart("raw");
            for (Map.Entry<String, Long> e : new TreeMap<>(memory.raw()).entrySet()) {
                number(g, e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        psi(g, memory.psi());
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String name, long unsignedValue) throws IOException {
        g.writeFieldName(name);
        if (unsignedValue >= 0) {
            g.writeNumber(unsignedValue);
        } else {
            g.writeNumber(Long.toUnsignedString(unsignedValue));
        }
    }

    private static void omitZero(JsonGenerator g, String name, long unsignedValue) throws IOException {
        if (unsignedValue != 0) {
            number(g, name, unsignedValue);
        }
    }

    private static void omitEmpty(JsonGenerator g, String name, List<Long> values) throws IOException {
        if (values.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (long v : values) {
            if (v >= 0) {
                g.writeNumber(v);
            } else {
                g.writeNumber(Long.toUnsignedString(v));
            }
        }
        g.writeEndArray();
    }

    /** A list of CPU or memory node ids; runc omits an empty one. */
    private static void ids(JsonGenerator g, String name, List<Integer> ids) throws IOException {
        if (ids.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (int id : ids) {
            g.writeNumber(id);
        }
        g.writeEndArray();
    }

    private static void memoryEntry(JsonGenerator g, String name, MemoryEntry e) throws IOException {
        if (e.equals(MemoryEntry.ZERO)) {
            return;
        }
        g.writeObjectFieldStart(name);
        number(g, "limit", e.limit());
        omitZero(g, "usage", e.usage());
        omitZero(g, "max", e.max());
        number(g, "failcnt", e.failcnt());
        g.writeEndObject();
    }

    private static void blkioList(JsonGenerator g, String name, List<BlkioEntry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (BlkioEntry e : entries) {
            g.writeStartObject();
            omitZero(g, "major", e.major());
            omitZero(g, "minor", e.minor());
            if (!e.op().isEmpty()) {
                g.writeStringField("op", e.op());
            }
            omitZero(g, "value", e.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void psi(JsonGenerator g, Psi psi) throws IOException {
        if (psi == null) {
            return;
        }
        g.writeObjectFieldStart("psi");
        psiData(g, "some", psi.some());
        psiData(g, "full", psi.full());
        g.writeEndObject();
    }

    private static void psiData(JsonGenerator g, String name, PsiData d) throws IOException {
        if (d.avg10() == 0 && d.avg60() == 0 && d.avg300() == 0 && d.total() == 0) {
            return; // omitzero
        }
        g.writeObjectFieldStart(name);
        goFloat(g, "avg10", d.avg10());
        goFloat(g, "avg60", d.avg60());
        goFloat(g, "avg300", d.avg300());
        number(g, "total", d.total());
        g.writeEndObject();
    }

    /** A float64 as Go's encoding/json writes it: 0.5, 12, 39.86 (no ".0" on whole numbers). */
    private static void goFloat(JsonGenerator g, String name, double v) throws IOException {
        g.writeFieldName(name);
        if (v == Math.rint(v) && Math.abs(v) < 1e21) {
            g.writeNumber((long) v);
        } else {
            g.writeNumber(v);
        }
    }
}
