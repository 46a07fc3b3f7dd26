package dev.jrun.runtime.plan;

import java.util.List;

/**
 * No mount may land inside the container's /proc: a volume steered there by an image symlink
 * (CVE-2019-16884, CVE-2019-19921) would cover procfs files the kernel trusts, such as
 * /proc/self/attr/* or /proc/sys/kernel/core_pattern.  The executor decides on the destination
 * as resolved inside the rootfs, since only it sees the symlinks; these are runc 1.3's rules.
 */
public final class ProcGuard {
    /** The guarded directory, relative to the rootfs. */
    static final String DIR = "proc";

    /** The files tools such as lxcfs cover with emulated ones: runc's allow-list. */
    static final List<String> ALLOWED = List.of("proc/cpuinfo", "proc/diskstats", "proc/meminfo", "proc/stat",
            "proc/swaps", "proc/uptime", "proc/loadavg", "proc/slabinfo", "proc/sys/kernel/ns_last_pid",
            "proc/sys/crypto/fips_enabled");

    /** What a mount may do on /proc itself (a mount step's procPolicy). */
    public static final long NOT_ON_PROC = 0;
    public static final long ALLOWED_ON_PROC = 1;
    public static final long IF_SOURCE_IS_PROCFS = 2;

    private ProcGuard() {
    }
}
