package dev.jrun.runtime.cgroups;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's resource usage as {@code runc events --stats} reports it: runc's types.Stats
 * (types/events.go), filled the way opencontainers/cgroups' fs and fs2 GetStats fill
 * cgroups.Stats, plus the OOM kill count.  Every number is a Go uint64 carried in a Java long
 * (read it with {@link Long#toUnsignedString}); "max" reads as 2^64-1 (-1 here).
 * {@link V1StatsReader} and {@link V2StatsReader} fill it from a cgroup.
 *
 * @param oomKills processes the OOM killer killed in the cgroup ("oom_kill" in v2 memory.events,
 *     v1 memory.oom_control); not part of runc's stats JSON
 */
public record CgroupStats(Cpu cpu, CpuSet cpuset, Memory memory, Pids pids, Blkio blkio, Map<String, Hugetlb> hugetlb,
        long oomKills) {

    public CgroupStats {
        hugetlb = Collections.unmodifiableMap(new TreeMap<>(hugetlb));
    }

    /** Nanoseconds. */
    public record CpuUsage(long total, List<Long> percpu, List<Long> percpuKernel, List<Long> percpuUser, long kernel,
            long user) {
        public CpuUsage {
            percpu = List.copyOf(percpu);
            percpuKernel = List.copyOf(percpuKernel);
            percpuUser = List.copyOf(percpuUser);
        }

        static final CpuUsage NONE = new CpuUsage(0, List.of(), List.of(), List.of(), 0, 0);
    }

    /** @param throttledTime nanoseconds */
    public record Throttling(long periods, long throttledPeriods, long throttledTime) {
        static final Throttling NONE = new Throttling(0, 0, 0);
    }

    /** Pressure stall information for one kind of stall. */
    public record PsiData(double avg10, double avg60, double avg300, long total) {
    }

    public record Psi(PsiData some, PsiData full) {
    }

    /** @param psi null where the kernel has no PSI (or it is v1) */
    public record Cpu(CpuUsage usage, Throttling throttling, Psi psi) {
    }

    public record CpuSet(List<Integer> cpus, long cpuExclusive, List<Integer> mems, long memHardwall, long memExclusive,
            long memoryMigrate, long memorySpreadPage, long memorySpreadSlab, long memoryPressure, long schedLoadBalance,
            long schedRelaxDomainLevel) {
        public CpuSet {
            cpus = List.copyOf(cpus);
            mems = List.copyOf(mems);
        }

        static final CpuSet EMPTY = new CpuSet(List.of(), 0, List.of(), 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** @param max the peak usage */
    public record MemoryEntry(long limit, long usage, long max, long failcnt) {
        /** What runc reports for a counter the cgroup does not have. */
        public static final MemoryEntry ZERO = new MemoryEntry(0, 0, 0, 0);
    }

    /**
     * @param swap memory+swap, as v1 reports it (v2's swap alone plus memory)
     * @param raw memory.stat
     */
    public record Memory(long cache, MemoryEntry usage, MemoryEntry swap, MemoryEntry kernel, MemoryEntry kernelTCP,
            Map<String, Long> raw, Psi psi) {
        public Memory {
            raw = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
        }
    }

    /** @param limit 0 for no limit */
    public record Pids(long current, long limit) {
    }

    public record BlkioEntry(long major, long minor, String op, long value) {
    }

    public record Blkio(List<BlkioEntry> ioServiceBytesRecursive, List<BlkioEntry> ioServicedRecursive,
            List<BlkioEntry> ioQueuedRecursive, List<BlkioEntry> ioServiceTimeRecursive,
            List<BlkioEntry> ioWaitTimeRecursive, List<BlkioEntry> ioMergedRecursive, List<BlkioEntry> ioTimeRecursive,
            List<BlkioEntry> sectorsRecursive, Psi psi) {
        public Blkio {
            ioServiceBytesRecursive = List.copyOf(ioServiceBytesRecursive);
            ioServicedRecursive = List.copyOf(ioServicedRecursive);
            ioQueuedRecursive = List.copyOf(ioQueuedRecursive);
            ioServiceTimeRecursive = List.copyOf(ioServiceTimeRecursive);
            ioWaitTimeRecursive = List.copyOf(ioWaitTimeRecursive);
            ioMergedRecursive = List.copyOf(ioMergedRecursive);
            ioTimeRecursive = List.copyOf(ioTimeRecursive);
            sectorsRecursive = List.copyOf(sectorsRecursive);
        }

        /** No I/O counted, with the cgroup's pressure where it has one. */
        static Blkio none(Psi psi) {
            return new Blkio(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), psi);
        }
    }

    /** @param max the peak usage (v1 only) */
    public record Hugetlb(long usage, long max, long failcnt) {
    }
}
