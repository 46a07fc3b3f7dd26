package dev.jrun.runtime.cgroups;

import dev.jrun.spec.model.LinuxCPU;
import dev.jrun.spec.model.LinuxHugepageLimit;
import dev.jrun.spec.model.LinuxRdma;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Conversions of {@code linux.resources} values shared by the v1 and v2 plans.  The values have
 * passed validation (spec's ResourceRules), which checks their ranges; what is refused here is
 * what a host cannot do.
 */
final class CgroupValues {
    private CgroupValues() {
    }

    static final String R = "linux.resources.";

    /** A Go uint64 carried in a Java long. */
    static String unsigned(long v) {
        return Long.toUnsignedString(v);
    }

    static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    /** The number in a cgroup file ("max" and unreadable give null). */
    static Long parse(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An rdma.max line: "mlx4_0 hca_handle=2 hca_object=2000". */
    static String rdmaLine(String device, LinuxRdma l) {
        StringBuilder sb = new StringBuilder(device);
        if (l.hcaHandles() != null) {
            sb.append(" hca_handle=").append(l.hcaHandles());
        }
        if (l.hcaObjects() != null) {
            sb.append(" hca_object=").append(l.hcaObjects());
        }
        return sb.toString();
    }

    /** "major:minor" of a blockIO device entry. */
    static String device(Long major, Long minor) {
        return major + ":" + minor;
    }

    // ------------------------------------------------------------------ v1 -> v2 conversions

    /**
     * runc's ConvertCPUSharesToCgroupV2Value since runc 1.4.0 (opencontainers/cgroups 0.0.6):
     * a quadratic curve in log2(shares) through (2, 1), (1024, 100) and (262144, 10000), so the
     * default shares (1024) give the default weight (100).  Out-of-range shares are clamped.
     * 0 stays 0 ("unset").
     */
    static long cpuWeight(long shares) {
        if (shares == 0) {
            return 0;
        }
        if (Long.compareUnsigned(shares, 2) <= 0) {
            return 1;
        }
        if (Long.compareUnsigned(shares, 262144) >= 0) {
            return 10000;
        }
        double l = log2(shares);
        double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        return (long) Math.ceil(StrictMath.pow(10, exponent));
    }

    /** log2 as Go computes it (exact for powers of two), so the ceil above rounds as runc's. */
    private static double log2(double x) {
        int exp = Math.getExponent(x) + 1;
        double frac = x / Math.scalb(1.0, exp);
        if (frac == 0.5) {
            return exp - 1;
        }
        return StrictMath.log(frac) * (1 / 0.693147180559945309417232121458176568) + exp;
    }

    /** runc's ConvertBlkIOToIOWeightValue: [10, 1000] linearly onto [1, 10000]; 0 stays 0. */
    static long ioWeight(int blkioWeight) {
        if (blkioWeight == 0) {
            return 0;
        }
        return 1 + (blkioWeight - 10L) * 9999 / 990;
    }

    /**
     * runc's ConvertMemorySwapToCgroupV2Value: OCI's swap is memory+swap, memory.swap.max is
     * swap alone.  -1 means unlimited, 0 unset.  Validation has made sure that a swap limit is
     * not below the memory limit; on an update it cannot tell whether a memory limit is set.
     */
    static long swapV2(long memorySwap, long memory) throws CgroupException {
        if (memory == -1 && memorySwap == 0) {
            // as on v1: unlimited memory with swap unset means unlimited swap too
            return -1;
        }
        if (memorySwap == -1 || memorySwap == 0) {
            return memorySwap;
        }
        if (memory == -1) {
            return memorySwap;
        }
        if (memory == 0) {
            throw new CgroupException(R + "memory.swap: unable to set a swap limit without a memory limit on cgroup v2");
        }
        return memorySwap - memory;
    }

    /** A CPU bandwidth request: quota and period (0 = unset), burst or null. */
    record CpuBandwidth(long quota, long period, Long burst) {
    }

    /**
     * cpu.quota, cpu.period and cpu.burst as both drivers write them.
     *
     * @param noBurst why this host cannot take a burst, or null when it can
     */
    static CpuBandwidth cpuBandwidth(LinuxCPU c, String noBurst) throws CgroupException {
        Long burst = c.burst();
        if (burst != null && noBurst != null) {
            if (burst != 0) {
                throw new CgroupException(R + "cpu.burst: " + noBurst);
            }
            burst = null; // 0 is what a kernel without burst does anyway
        }
        return new CpuBandwidth(orZero(c.quota()), orZero(c.period()), burst);
    }

    /**
     * cpuset.cpus and cpuset.mems, the same files on both hierarchies.
     *
     * @param controller "cpuset" on v1, "" (the unified directory) on v2
     */
    static void cpuset(LinuxCPU c, String controller, List<CgroupWrite> out) {
        if (c == null) {
            return;
        }
        if (c.cpus() != null && !c.cpus().isEmpty()) {
            out.add(new CgroupWrite(controller, "cpuset.cpus", c.cpus(), R + "cpu.cpus"));
        }
        if (c.mems() != null && !c.mems().isEmpty()) {
            out.add(new CgroupWrite(controller, "cpuset.mems", c.mems(), R + "cpu.mems"));
        }
    }

    /**
     * hugetlb.SIZE.LIMIT for each page size, and the reservation limit beside it (Linux 5.7+),
     * as runc sets them: it stops writing reservations once a page size has no file for them.
     *
     * @param controller as for {@link #cpuset}
     * @param limitFile "limit_in_bytes" on v1, "max" on v2
     * @param present whether the cgroup has a file
     */
    static void hugetlb(List<LinuxHugepageLimit> limits, String controller, String limitFile, Predicate<String> present,
            List<CgroupWrite> out) {
        if (limits == null) {
            return;
        }
        boolean rsvd = true;
        for (int i = 0; i < limits.size(); i++) {
            LinuxHugepageLimit l = limits.get(i);
            String at = R + "hugepageLimits[" + i + "]";
            String prefix = "hugetlb." + l.pageSize();
            String value = unsigned(l.limit());
            out.add(new CgroupWrite(controller, prefix + "." + limitFile, value, at));
            rsvd = rsvd && present.test(prefix + ".rsvd." + limitFile);
            if (rsvd) {
                out.add(new CgroupWrite(controller, prefix + ".rsvd." + limitFile, value, at));
            }
        }
    }

    /** rdma.max lines, the same on both hierarchies; controller as for {@link #cpuset}. */
    static void rdma(Map<String, LinuxRdma> rdma, String controller, List<CgroupWrite> out) {
        if (rdma == null) {
            return;
        }
        for (Map.Entry<String, LinuxRdma> e : rdma.entrySet()) {
            String at = R + "rdma[\"" + e.getKey() + "\"]";
            out.add(new CgroupWrite(controller, "rdma.max", rdmaLine(e.getKey(), e.getValue()), at));
        }
    }
}
