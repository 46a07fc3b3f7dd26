package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.StatsFiles.MAX;
import static dev.jrun.runtime.cgroups.StatsFiles.keyValues;
import static dev.jrun.runtime.cgroups.StatsFiles.malformed;
import static dev.jrun.runtime.cgroups.StatsFiles.pageSizes;
import static dev.jrun.runtime.cgroups.StatsFiles.parseUint;
import static dev.jrun.runtime.cgroups.StatsFiles.readOrNull;
import static dev.jrun.runtime.cgroups.StatsFiles.uint;

import dev.jrun.runtime.cgroups.CgroupStats.Blkio;
import dev.jrun.runtime.cgroups.CgroupStats.BlkioEntry;
import dev.jrun.runtime.cgroups.CgroupStats.Cpu;
import dev.jrun.runtime.cgroups.CgroupStats.CpuSet;
import dev.jrun.runtime.cgroups.CgroupStats.CpuUsage;
import dev.jrun.runtime.cgroups.CgroupStats.Hugetlb;
import dev.jrun.runtime.cgroups.CgroupStats.Memory;
import dev.jrun.runtime.cgroups.CgroupStats.MemoryEntry;
import dev.jrun.runtime.cgroups.CgroupStats.Pids;
import dev.jrun.runtime.cgroups.CgroupStats.Psi;
import dev.jrun.runtime.cgroups.CgroupStats.PsiData;
import dev.jrun.runtime.cgroups.CgroupStats.Throttling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's usage from its cgroup v2 directory, as opencontainers/cgroups' fs2 GetStats
 * reads it, in v1's terms where runc reports them so (swap as memory+swap).
 */
final class V2StatsReader {
    private V2StatsReader() {
    }

    static CgroupStats read(Path dir) throws CgroupException {
        Pids pids;
        if (Files.exists(dir.resolve("pids.current"))) {
            long limit = uint(dir, "pids.max");
            pids = new Pids(uint(dir, "pids.current"), limit == MAX ? 0 : limit);
        } else {
            // the pids controller is off: count the processes
            String procs = readOrNull(dir, "cgroup.procs");
            pids = new Pids(procs == null ? 0 : procs.chars().filter(c -> c == '\n').count(), 0);
        }

        Memory mem = new Memory(0, MemoryEntry.ZERO, MemoryEntry.ZERO, MemoryEntry.ZERO, MemoryEntry.ZERO, Map.of(),
                psi(dir, "memory.pressure"));
        if (Files.exists(dir.resolve("memory.stat"))) {
            Map<String, Long> raw = keyValues(dir, "memory.stat");
            MemoryEntry usage = MemoryEntry.ZERO;
            MemoryEntry swap = MemoryEntry.ZERO;
            if (Files.exists(dir.resolve("memory.current"))) {
                // memory.peak: Linux 5.19+
                usage = new MemoryEntry(uint(dir, "memory.max"), uint(dir, "memory.current"), uint(dir, "memory.peak"), 0);
                if (Files.exists(dir.resolve("memory.swap.current"))) {
                    long swapLimit = uint(dir, "memory.swap.max");
                    // v1 compatibility: swap is reported as memory+swap, without a peak
                    swap = new MemoryEntry(swapLimit != MAX ? swapLimit + usage.limit() : swapLimit,
                            uint(dir, "memory.swap.current") + usage.usage(), 0, 0);
                } else {
                    // no swap accounting: runc still adds memory to the (zero) swap numbers
                    swap = new MemoryEntry(usage.limit(), usage.usage(), 0, 0);
                }
            }
            mem = new Memory(raw.getOrDefault("file", 0L), usage, swap, MemoryEntry.ZERO, MemoryEntry.ZERO, raw, mem.psi());
        }
        long oomKills = Files.exists(dir.resolve("memory.events"))
                ? keyValues(dir, "memory.events").getOrDefault("oom_kill", 0L) : 0;

        Blkio blkio = Blkio.none(psi(dir, "io.pressure"));
        String ioStat = readOrNull(dir, "io.stat");
        if (ioStat != null) {
            blkio = ioStat(ioStat, dir, blkio.psi());
        }

        Throttling throttling = Throttling.NONE;
        CpuUsage usage = CpuUsage.NONE;
        if (Files.exists(dir.resolve("cpu.stat"))) {
            Map<String, Long> stat = keyValues(dir, "cpu.stat");
            usage = new CpuUsage(stat.getOrDefault("usage_usec", 0L) * 1000, List.of(), List.of(), List.of(),
                    stat.getOrDefault("system_usec", 0L) * 1000, stat.getOrDefault("user_usec", 0L) * 1000);
            throttling = new Throttling(stat.getOrDefault("nr_periods", 0L), stat.getOrDefault("nr_throttled", 0L),
                    stat.getOrDefault("throttled_usec", 0L) * 1000);
        }

        Map<String, Hugetlb> hugetlb = new TreeMap<>();
        for (String size : pageSizes(dir, ".max")) {
            String prefix = "hugetlb." + size;
            String current = Files.exists(dir.resolve(prefix + ".rsvd.current")) ? prefix + ".rsvd.current"
                    : prefix + ".current";
            long failcnt = Files.exists(dir.resolve(prefix + ".events"))
                    ? keyValues(dir, prefix + ".events").getOrDefault("max", 0L) : 0;
            hugetlb.put(size, new Hugetlb(uint(dir, current), 0, failcnt));
        }
        return new CgroupStats(new Cpu(usage, throttling, psi(dir, "cpu.pressure")), CpuSet.EMPTY, mem, pids, blkio,
                hugetlb, oomKills);
    }

    /** io.stat's "8:0 rbytes=1 wbytes=2 rios=3 wios=4 ..." lines as v1's bytes and operations. */
    private static Blkio ioStat(String text, Path dir, Psi psi) throws CgroupException {
        List<BlkioEntry> bytes = new ArrayList<>();
        List<BlkioEntry> ios = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) {
                continue;
            }
            String[] dev = f[0].split(":");
            if (dev.length != 2) {
                continue;
            }
            long major = parseUint(dev[0], dir, "io.stat");
            long minor = parseUint(dev[1], dir, "io.stat");
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=");
                if (kv.length != 2) {
                    continue;
                }
                switch (kv[0]) {
                    case "rbytes": bytes.add(new BlkioEntry(major, minor, "Read", parseUint(kv[1], dir, "io.stat"))); break;
                    case "wbytes": bytes.add(new BlkioEntry(major, minor, "Write", parseUint(kv[1], dir, "io.stat"))); break;
                    case "rios": ios.add(new BlkioEntry(major, minor, "Read", parseUint(kv[1], dir, "io.stat"))); break;
                    case "wios": ios.add(new BlkioEntry(major, minor, "Write", parseUint(kv[1], dir, "io.stat"))); break;
                    default: break;
                }
            }
        }
        return new Blkio(bytes, ios, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), psi);
    }

    /** "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" and "full ..." lines; null without PSI. */
    private static Psi psi(Path dir, String file) throws CgroupException {
        String text;
        try {
            text = Files.readString(dir.resolve(file));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // EOPNOTSUPP when PSI is compiled in but disabled (psi=0)
            return null;
        }
        PsiData some = new PsiData(0, 0, 0, 0);
        PsiData full = new PsiData(0, 0, 0, 0);
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 0 || !f[0].equals("some") && !f[0].equals("full")) {
                continue;
            }
            double a10 = 0;
            double a60 = 0;
            double a300 = 0;
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                if (kv.length != 2) {
                    throw malformed(dir, file, line);
                }
                try {
                    switch (kv[0]) {
                        case "avg10": a10 = Double.parseDouble(kv[1]); break;
                        case "avg60": a60 = Double.parseDouble(kv[1]); break;
                        case "avg300": a300 = Double.parseDouble(kv[1]); break;
                        case "total": total = Long.parseUnsignedLong(kv[1]); break;
                        default: break;
                    }
                } catch (NumberFormatException e) {
                    throw malformed(dir, file, line);
                }
            }
            if (f[0].equals("some")) {
                some = new PsiData(a10, a60, a300, total);
            } else {
                full = new PsiData(a10, a60, a300, total);
            }
        }
        return new Psi(some, full);
    }
}
