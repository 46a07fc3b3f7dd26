package dev.jrun.runtime.cgroups;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A container's resource usage as {@code runc events --stats} reports it: runc's types.Stats
 * (types/events.go), filled the way opencontainers/cgroups' fs and fs2 GetStats fill
 * cgroups.Stats, plus the OOM kill count.  Every number is a Go uint64 carried in a Java long
 * (read it with {@link Long#toUnsignedString}); "max" reads as 2^64-1 (-1 here).
 *
 * @param oomKills processes the OOM killer killed in the cgroup ("oom_kill" in v2 memory.events,
 *     v1 memory.oom_control); not part of runc's stats JSON
 */
public record CgroupStats(Cpu cpu, CpuSet cpuset, Memory memory, Pids pids, Blkio blkio, Map<String, Hugetlb> hugetlb,
        long oomKills) {

    public CgroupStats {
        hugetlb = java.util.Collections.unmodifiableMap(new TreeMap<>(hugetlb));
    }

    /** Nanoseconds. */
    public record CpuUsage(long total, List<Long> percpu, List<Long> percpuKernel, List<Long> percpuUser, long kernel,
            long user) {
        public CpuUsage {
            percpu = List.copyOf(percpu);
            percpuKernel = List.copyOf(percpuKernel);
            percpuUser = List.copyOf(percpuUser);
        }
    }

    /** @param throttledTime nanoseconds */
    public record Throttling(long periods, long throttledPeriods, long throttledTime) {
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
        static final MemoryEntry ZERO = new MemoryEntry(0, 0, 0, 0);
    }

    /**
     * @param swap memory+swap, as v1 reports it (v2's swap alone plus memory)
     * @param raw memory.stat
     */
    public record Memory(long cache, MemoryEntry usage, MemoryEntry swap, MemoryEntry kernel, MemoryEntry kernelTCP,
            Map<String, Long> raw, Psi psi) {
        public Memory {
            raw = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(raw));
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
    }

    /** @param max the peak usage (v1 only) */
    public record Hugetlb(long usage, long max, long failcnt) {
    }

    private static final long MAX = -1L; // "max": Go's math.MaxUint64
    private static final long NS_PER_SEC = 1_000_000_000L;
    private static final long CLOCK_TICKS = 100; // USER_HZ, as runc assumes

    // ================================================================== cgroup v1

    /** Reads the v1 hierarchies of a container (controller to directory; others are ignored). */
    public static CgroupStats readV1(Map<String, String> paths) throws CgroupException {
        Path cpu = dir(paths, "cpu");
        Path cpuacct = dir(paths, "cpuacct");
        Path memory = dir(paths, "memory");

        Throttling throttling = new Throttling(0, 0, 0);
        if (cpu != null) {
            Map<String, Long> stat = keyValues(cpu, "cpu.stat");
            throttling = new Throttling(stat.getOrDefault("nr_periods", 0L), stat.getOrDefault("nr_throttled", 0L),
                    stat.getOrDefault("throttled_time", 0L));
        }
        CpuUsage usage = new CpuUsage(0, List.of(), List.of(), List.of(), 0, 0);
        if (cpuacct != null && Files.isDirectory(cpuacct)) {
            usage = cpuacctUsage(cpuacct);
        }

        CpuSet cpuset = CpuSet.EMPTY;
        Path cs = dir(paths, "cpuset");
        if (cs != null && Files.isDirectory(cs)) {
            cpuset = new CpuSet(cpuList(cs, "cpuset.cpus"), uint(cs, "cpuset.cpu_exclusive"), cpuList(cs, "cpuset.mems"),
                    uint(cs, "cpuset.mem_hardwall"), uint(cs, "cpuset.mem_exclusive"), uint(cs, "cpuset.memory_migrate"),
                    uint(cs, "cpuset.memory_spread_page"), uint(cs, "cpuset.memory_spread_slab"),
                    uint(cs, "cpuset.memory_pressure"), uint(cs, "cpuset.sched_load_balance"),
                    integer(cs, "cpuset.sched_relax_domain_level"));
        }

        Memory mem = new Memory(0, MemoryEntry.ZERO, MemoryEntry.ZERO, MemoryEntry.ZERO, MemoryEntry.ZERO, Map.of(), null);
        long oomKills = 0;
        if (memory != null && Files.exists(memory.resolve("memory.stat"))) {
            Map<String, Long> raw = keyValues(memory, "memory.stat");
            mem = new Memory(raw.getOrDefault("cache", 0L), v1MemoryData(memory, "memory", false),
                    v1MemoryData(memory, "memory.memsw", true), v1MemoryData(memory, "memory.kmem", true),
                    v1MemoryData(memory, "memory.kmem.tcp", true), raw, null);
            oomKills = keyValues(memory, "memory.oom_control").getOrDefault("oom_kill", 0L);
        }

        Pids pids = new Pids(0, 0);
        Path p = dir(paths, "pids");
        if (p != null && Files.isDirectory(p)) {
            long limit = uint(p, "pids.max");
            pids = new Pids(uint(p, "pids.current"), limit == MAX ? 0 : limit);
        }

        Blkio blkio = emptyBlkio(null);
        Path b = dir(paths, "blkio");
        if (b != null && Files.isDirectory(b)) {
            blkio = v1Blkio(b);
        }

        Map<String, Hugetlb> hugetlb = new TreeMap<>();
        Path h = dir(paths, "hugetlb");
        if (h != null && Files.isDirectory(h)) {
            for (String size : pageSizes(h, ".limit_in_bytes")) {
                String prefix = "hugetlb." + size + (Files.exists(h.resolve("hugetlb." + size + ".rsvd.usage_in_bytes"))
                        ? ".rsvd" : "");
                hugetlb.put(size, new Hugetlb(uint(h, prefix + ".usage_in_bytes"), uint(h, prefix + ".max_usage_in_bytes"),
                        uint(h, prefix + ".failcnt")));
            }
        }
        return new CgroupStats(new Cpu(usage, throttling, null), cpuset, mem, pids, blkio, hugetlb, oomKills);
    }

    private static Path dir(Map<String, String> paths, String controller) {
        String d = paths.get(controller);
        return d == null ? null : Path.of(d);
    }

    private static CpuUsage cpuacctUsage(Path d) throws CgroupException {
        long user = 0;
        long system = 0;
        String stat = readOrNull(d, "cpuacct.stat");
        if (stat != null) {
            String[] f = stat.trim().split("\\s+");
            if (f.length < 4 || !f[0].equals("user") || !f[2].equals("system")) {
                throw malformed(d, "cpuacct.stat", stat);
            }
            user = parseUint(f[1], d, "cpuacct.stat") * NS_PER_SEC / CLOCK_TICKS;
            system = parseUint(f[3], d, "cpuacct.stat") * NS_PER_SEC / CLOCK_TICKS;
        }
        List<Long> percpu = new ArrayList<>();
        String pc = readOrNull(d, "cpuacct.usage_percpu");
        if (pc != null) {
            for (String v : pc.trim().split("\\s+")) {
                if (!v.isEmpty()) {
                    percpu.add(parseUint(v, d, "cpuacct.usage_percpu"));
                }
            }
        }
        List<Long> kernel = new ArrayList<>();
        List<Long> userList = new ArrayList<>();
        String all = readOrNull(d, "cpuacct.usage_all");
        if (all != null) {
            String[] lines = all.split("\n");
            if (lines.length == 0 || !lines[0].startsWith("cpu user system")) {
                throw malformed(d, "cpuacct.usage_all", lines.length == 0 ? "" : lines[0]);
            }
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].trim().split(" ");
                if (f.length < 3) {
                    continue;
                }
                userList.add(parseUint(f[1], d, "cpuacct.usage_all"));
                kernel.add(parseUint(f[2], d, "cpuacct.usage_all"));
            }
        }
        return new CpuUsage(uint(d, "cpuacct.usage"), percpu, kernel, userList, system, user);
    }

    /** usage, peak, failcnt and limit of memory, memory.memsw, memory.kmem or memory.kmem.tcp. */
    private static MemoryEntry v1MemoryData(Path d, String prefix, boolean optional) throws CgroupException {
        if (optional && !Files.exists(d.resolve(prefix + ".usage_in_bytes"))) {
            return MemoryEntry.ZERO; // no swap accounting, or no kmem
        }
        return new MemoryEntry(uint(d, prefix + ".limit_in_bytes"), uint(d, prefix + ".usage_in_bytes"),
                uint(d, prefix + ".max_usage_in_bytes"), uint(d, prefix + ".failcnt"));
    }

    /**
     * runc's order of blkio sources: the BFQ debug files, BFQ, CFQ, the recursive throttle
     * files, the plain throttle files.  A source is used when its first file has entries;
     * within it, an empty file ends the reading.
     */
    private static Blkio v1Blkio(Path d) throws CgroupException {
        // indexes into the eight lists of Blkio
        final int bytes = 0;
        final int serviced = 1;
        final int queued = 2;
        final int serviceTime = 3;
        final int waitTime = 4;
        final int merged = 5;
        final int time = 6;
        final int sectors = 7;
        Object[][][] groups = {
            {{"blkio.bfq.sectors_recursive", sectors}, {"blkio.bfq.io_service_time_recursive", serviceTime},
                {"blkio.bfq.io_wait_time_recursive", waitTime}, {"blkio.bfq.io_merged_recursive", merged},
                {"blkio.bfq.io_queued_recursive", queued}, {"blkio.bfq.time_recursive", time},
                {"blkio.bfq.io_serviced_recursive", serviced}, {"blkio.bfq.io_service_bytes_recursive", bytes}},
            {{"blkio.bfq.io_serviced_recursive", serviced}, {"blkio.bfq.io_service_bytes_recursive", bytes}},
            {{"blkio.sectors_recursive", sectors}, {"blkio.io_service_time_recursive", serviceTime},
                {"blkio.io_wait_time_recursive", waitTime}, {"blkio.io_merged_recursive", merged},
                {"blkio.io_queued_recursive", queued}, {"blkio.time_recursive", time},
                {"blkio.io_serviced_recursive", serviced}, {"blkio.io_service_bytes_recursive", bytes}},
            {{"blkio.throttle.io_serviced_recursive", serviced}, {"blkio.throttle.io_service_bytes_recursive", bytes}},
            {{"blkio.throttle.io_serviced", serviced}, {"blkio.throttle.io_service_bytes", bytes}},
        };
        List<List<BlkioEntry>> lists = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lists.add(List.of());
        }
        outer:
        for (Object[][] group : groups) {
            for (int i = 0; i < group.length; i++) {
                List<BlkioEntry> entries = blkioFile(d, (String) group[i][0]);
                if (entries.isEmpty()) {
                    if (i == 0) {
                        continue outer;
                    }
                    break outer;
                }
                lists.set((Integer) group[i][1], entries);
            }
            break;
        }
        return new Blkio(lists.get(bytes), lists.get(serviced), lists.get(queued), lists.get(serviceTime),
                lists.get(waitTime), lists.get(merged), lists.get(time), lists.get(sectors), null);
    }

    /** "8:0 Read 1234" or "8:0 1234" lines; the "Total N" line is skipped; missing file: none. */
    private static List<BlkioEntry> blkioFile(Path d, String file) throws CgroupException {
        String text = readOrNull(d, file);
        List<BlkioEntry> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("[ :]+");
            if (f.length < 3) {
                if (f.length == 2 && f[0].equals("Total")) {
                    continue;
                }
                throw malformed(d, file, line);
            }
            String op = f.length == 4 ? f[2] : "";
            out.add(new BlkioEntry(parseUint(f[0], d, file), parseUint(f[1], d, file), op,
                    parseUint(f[f.length == 4 ? 3 : 2], d, file)));
        }
        return out;
    }

    /** The page sizes a hugetlb directory has files for (2MB, 1GB, ...). */
    private static List<String> pageSizes(Path d, String suffix) throws CgroupException {
        TreeSet<String> sizes = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, "hugetlb.*" + suffix)) {
            for (Path f : ds) {
                String name = f.getFileName().toString();
                String size = name.substring("hugetlb.".length(), name.length() - suffix.length());
                if (!size.contains(".")) {
                    sizes.add(size);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new CgroupException("list " + d + ": " + Cgroups.reason(e), e);
        }
        return new ArrayList<>(sizes);
    }

    // ================================================================== cgroup v2

    /** Reads a container's cgroup v2 directory. */
    public static CgroupStats readV2(Path dir) throws CgroupException {
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

        Blkio blkio = emptyBlkio(psi(dir, "io.pressure"));
        String ioStat = readOrNull(dir, "io.stat");
        if (ioStat != null) {
            List<BlkioEntry> bytes = new ArrayList<>();
            List<BlkioEntry> ios = new ArrayList<>();
            for (String line : ioStat.split("\n")) {
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
            blkio = new Blkio(bytes, ios, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), blkio.psi());
        }

        Throttling throttling = new Throttling(0, 0, 0);
        CpuUsage usage = new CpuUsage(0, List.of(), List.of(), List.of(), 0, 0);
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

    private static Blkio emptyBlkio(Psi psi) {
        return new Blkio(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), psi);
    }

    /** "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" and "full ..." lines; null without PSI. */
    static Psi psi(Path dir, String file) throws CgroupException {
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

    // ================================================================== file helpers

    private static String readOrNull(Path dir, String file) throws CgroupException {
        try {
            return Files.readString(dir.resolve(file));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CgroupException("read " + dir.resolve(file) + ": " + Cgroups.reason(e), e);
        }
    }

    /** A single number; "max" is 2^64-1; a missing file reads as 0, as runc ignores those. */
    private static long uint(Path dir, String file) throws CgroupException {
        String s = readOrNull(dir, file);
        if (s == null) {
            return 0;
        }
        s = s.trim();
        return s.equals("max") ? MAX : parseUint(s, dir, file);
    }

    private static long integer(Path dir, String file) throws CgroupException {
        String s = readOrNull(dir, file);
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw malformed(dir, file, s);
        }
    }

    /** fscommon.ParseUint: negative numbers (v1's -1 "no limit" in some files) read as 0. */
    private static long parseUint(String s, Path dir, String file) throws CgroupException {
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            try {
                if (Long.parseLong(s) < 0) {
                    return 0;
                }
            } catch (NumberFormatException e2) {
                if (s.matches("-[0-9]+")) {
                    return 0;
                }
            }
            throw malformed(dir, file, s);
        }
    }

    /** "key value" lines (memory.stat, cpu.stat, memory.events, memory.oom_control). */
    private static Map<String, Long> keyValues(Path dir, String file) throws CgroupException {
        Map<String, Long> out = new LinkedHashMap<>();
        String text = readOrNull(dir, file);
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int sp = line.indexOf(' ');
            if (sp <= 0 || sp == line.length() - 1) {
                throw malformed(dir, file, line);
            }
            out.put(line.substring(0, sp), parseUint(line.substring(sp + 1).trim(), dir, file));
        }
        return out;
    }

    /** cpuset.cpus and cpuset.mems lists ("0-3,7") as numbers; an empty file gives none. */
    private static List<Integer> cpuList(Path dir, String file) throws CgroupException {
        String s = readOrNull(dir, file);
        List<Integer> out = new ArrayList<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        try {
            for (String part : s.trim().split(",")) {
                int dash = part.indexOf('-');
                if (dash < 0) {
                    out.add(Integer.parseInt(part));
                } else {
                    int from = Integer.parseInt(part.substring(0, dash));
                    int to = Integer.parseInt(part.substring(dash + 1));
                    if (from > to || to > 65535) {
                        throw malformed(dir, file, s);
                    }
                    for (int i = from; i <= to; i++) {
                        out.add(i);
                    }
                }
            }
        } catch (NumberFormatException e) {
            throw malformed(dir, file, s);
        }
        return out;
    }

    private static CgroupException malformed(Path dir, String file, String what) {
        return new CgroupException("parse " + dir.resolve(file) + ": unexpected \"" + what.trim() + "\"");
    }

    // ================================================================== runc's events JSON

    /** {"type":"stats","id":ID,"data":{...}} as one line of JSON, without the newline. */
    public String eventJson(String id) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            writeEvent(g, id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * Writes runc's stats event: the fields, their names and their omission rules are those of
     * runc's types.Stats as Go's encoding/json writes it (omitempty/omitzero fields left out
     * when zero; intel_rdt always {}, network_interfaces always null).
     */
    public void writeEvent(JsonGenerator g, String id) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "stats");
        g.writeStringField("id", id);
        g.writeFieldName("data");
        writeData(g);
        g.writeEndObject();
    }

    /** The "data" object alone (runc's types.Stats). */
    public void writeData(JsonGenerator g) throws IOException {
        g.writeStartObject();

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

        g.writeObjectFieldStart("cpuset");
        if (!cpuset.cpus().isEmpty()) {
            g.writeArrayFieldStart("cpus");
            for (int c : cpuset.cpus()) {
                g.writeNumber(c);
            }
            g.writeEndArray();
        }
        number(g, "cpu_exclusive", cpuset.cpuExclusive());
        if (!cpuset.mems().isEmpty()) {
            g.writeArrayFieldStart("mems");
            for (int m : cpuset.mems()) {
                g.writeNumber(m);
            }
            g.writeEndArray();
        }
        number(g, "mem_hardwall", cpuset.memHardwall());
        number(g, "mem_exclusive", cpuset.memExclusive());
        number(g, "memory_migrate", cpuset.memoryMigrate());
        number(g, "memory_spread_page", cpuset.memorySpreadPage());
        number(g, "memory_spread_slab", cpuset.memorySpreadSlab());
        number(g, "memory_pressure", cpuset.memoryPressure());
        number(g, "sched_load_balance", cpuset.schedLoadBalance());
        g.writeNumberField("sched_relax_domain_level", cpuset.schedRelaxDomainLevel());
        g.writeEndObject();

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

        g.writeObjectFieldStart("pids");
        omitZero(g, "current", pids.current());
        omitZero(g, "limit", pids.limit());
        g.writeEndObject();

        g.writeObjectFieldStart("blkio");
        blkioList(g, "ioServiceBytesRecursive", blkio.ioServiceBytesRecursive());
        blkioList(g, "ioServicedRecursive", blkio.ioServicedRecursive());
        blkioList(g, "ioQueueRecursive", blkio.ioQueuedRecursive());
        blkioList(g, "ioServiceTimeRecursive", blkio.ioServiceTimeRecursive());
        blkioList(g, "ioWaitTimeRecursive", blkio.ioWaitTimeRecursive());
        blkioList(g, "ioMergedRecursive", blkio.ioMergedRecursive());
        blkioList(g, "ioTimeRecursive", blkio.ioTimeRecursive());
        blkioList(g, "sectorsRecursive", blkio.sectorsRecursive());
        psi(g, blkio.psi());
        g.writeEndObject();

        g.writeObjectFieldStart("hugetlb");
        for (Map.Entry<String, Hugetlb> e : hugetlb.entrySet()) {
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
