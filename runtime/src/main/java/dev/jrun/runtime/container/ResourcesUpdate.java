package dev.jrun.runtime.container;

import dev.jrun.spec.model.LinuxBlockIO;
import dev.jrun.spec.model.LinuxCPU;
import dev.jrun.spec.model.LinuxMemory;
import dev.jrun.spec.model.LinuxPids;
import dev.jrun.spec.model.LinuxResources;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * `update`: the container's resources with an update laid over them.  A field the update
 * leaves out (null) keeps its current value, which is how containerd and docker send updates.
 */
final class ResourcesUpdate {
    private ResourcesUpdate() {
    }

    static LinuxResources merge(LinuxResources base, LinuxResources u) {
        if (base == null) {
            return u;
        }
        if (u == null) {
            return base;
        }
        Map<String, String> unified = base.unified();
        if (u.unified() != null) {
            unified = new LinkedHashMap<>(base.unified() == null ? Map.of() : base.unified());
            unified.putAll(u.unified());
        }
        return new LinuxResources(
                or(u.devices(), base.devices()),
                memory(base.memory(), u.memory()),
                cpu(base.cpu(), u.cpu()),
                u.pids() != null && u.pids().limit() != null ? u.pids() : base.pids(),
                blockIO(base.blockIO(), u.blockIO()),
                or(u.hugepageLimits(), base.hugepageLimits()),
                or(u.network(), base.network()),
                or(u.rdma(), base.rdma()),
                unified);
    }

    private static <T> T or(T update, T base) {
        return update != null ? update : base;
    }

    /**
     * As runc's update: lifting the memory limit (-1) without naming swap unsets the swap
     * limit, which the drivers then lift too, memory+swap first; keeping the old one would ask
     * the kernel for a memory+swap limit below unlimited memory.
     */
    private static LinuxMemory memory(LinuxMemory b, LinuxMemory u) {
        if (b == null || u == null) {
            return or(u, b);
        }
        Long swap = u.swap() == null && u.limit() != null && u.limit() == -1 ? Long.valueOf(0) : or(u.swap(), b.swap());
        return new LinuxMemory(or(u.limit(), b.limit()), or(u.reservation(), b.reservation()), swap,
                or(u.kernel(), b.kernel()), or(u.kernelTCP(), b.kernelTCP()), or(u.swappiness(), b.swappiness()),
                or(u.disableOOMKiller(), b.disableOOMKiller()), or(u.useHierarchy(), b.useHierarchy()),
                or(u.checkBeforeUpdate(), b.checkBeforeUpdate()));
    }

    private static LinuxCPU cpu(LinuxCPU b, LinuxCPU u) {
        if (b == null || u == null) {
            return or(u, b);
        }
        return new LinuxCPU(or(u.shares(), b.shares()), or(u.quota(), b.quota()), or(u.burst(), b.burst()),
                or(u.period(), b.period()), or(u.realtimeRuntime(), b.realtimeRuntime()),
                or(u.realtimePeriod(), b.realtimePeriod()), or(u.cpus(), b.cpus()), or(u.mems(), b.mems()),
                or(u.idle(), b.idle()));
    }

    private static LinuxBlockIO blockIO(LinuxBlockIO b, LinuxBlockIO u) {
        if (b == null || u == null) {
            return or(u, b);
        }
        return new LinuxBlockIO(or(u.weight(), b.weight()), or(u.leafWeight(), b.leafWeight()),
                or(u.weightDevice(), b.weightDevice()), or(u.throttleReadBpsDevice(), b.throttleReadBpsDevice()),
                or(u.throttleWriteBpsDevice(), b.throttleWriteBpsDevice()),
                or(u.throttleReadIOPSDevice(), b.throttleReadIOPSDevice()),
                or(u.throttleWriteIOPSDevice(), b.throttleWriteIOPSDevice()));
    }

    /** runc's flag form of update: only the flags given become part of the update. */
    static LinuxResources fromFlags(Map<String, String> flags) throws JrunException {
        Long memLimit = bytes(flags, "memory");
        Long memReservation = bytes(flags, "memory-reservation");
        Long memSwap = bytes(flags, "memory-swap");
        LinuxMemory memory = memLimit == null && memReservation == null && memSwap == null ? null
                : new LinuxMemory(memLimit, memReservation, memSwap, null, null, null, null, null, null);
        Long shares = number(flags, "cpu-share");
        Long quota = number(flags, "cpu-quota");
        Long burst = number(flags, "cpu-burst");
        Long period = number(flags, "cpu-period");
        Long rtRuntime = number(flags, "cpu-rt-runtime");
        Long rtPeriod = number(flags, "cpu-rt-period");
        Long idle = number(flags, "cpu-idle");
        String cpus = flags.get("cpuset-cpus");
        String mems = flags.get("cpuset-mems");
        LinuxCPU cpu = shares == null && quota == null && burst == null && period == null && rtRuntime == null
                && rtPeriod == null && idle == null && cpus == null && mems == null ? null
                : new LinuxCPU(shares, quota, burst, period, rtRuntime, rtPeriod, cpus, mems, idle);
        Long pidsLimit = number(flags, "pids-limit");
        Long weight = number(flags, "blkio-weight");
        if (flags.containsKey("l3-cache-schema") || flags.containsKey("mem-bw-schema")) {
            throw new JrunException("Intel RDT is not supported by jrun (--l3-cache-schema, --mem-bw-schema)");
        }
        return new LinuxResources(null, memory, cpu, pidsLimit == null ? null : new LinuxPids(pidsLimit),
                weight == null ? null : new LinuxBlockIO(weight.intValue(), null, null, null, null, null, null),
                null, null, null, null);
    }

    private static Long number(Map<String, String> flags, String name) throws JrunException {
        String v = flags.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new JrunException("invalid value \"" + v + "\" for --" + name + ": must be an integer");
        }
    }

    /** Memory sizes as runc (docker's units.RAMInBytes) reads them: 512, 64k, 100m, 1g, -1. */
    static Long bytes(Map<String, String> flags, String name) throws JrunException {
        String v = flags.get(name);
        if (v == null) {
            return null;
        }
        String s = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("-1")) {
            return -1L;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(?:i?b)?$").matcher(s);
        if (!m.matches()) {
            throw new JrunException("invalid value \"" + v + "\" for --" + name + ": a size such as 512, 64k, 100m or 1g");
        }
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            case "p" -> 1L << 50;
            default -> 1L;
        };
        return (long) (n * unit);
    }
}
