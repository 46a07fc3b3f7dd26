package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.StatsFiles.MAX;
import static dev.jrun.runtime.cgroups.StatsFiles.integer;
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
import dev.jrun.runtime.cgroups.CgroupStats.Throttling;
import dev.jrun.spec.linux.CpuList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A container's usage from its cgroup v1 hierarchies, as opencontainers/cgroups' fs GetStats reads it. */
final class V1StatsReader {
    private static final long NS_PER_SEC = 1_000_000_000L;
    private static final long CLOCK_TICKS = 100; // USER_HZ, as runc assumes

    private V1StatsReader() {
    }

    /** Reads the hierarchies of a container (controller to directory; others are ignored). */
    static CgroupStats read(Map<String, String> paths) throws CgroupException {
        Path cpu = dir(paths, "cpu");
        Path cpuacct = dir(paths, "cpuacct");
        Path memory = dir(paths, "memory");

        Throttling throttling = Throttling.NONE;
        if (cpu != null) {
            Map<String, Long> stat = keyValues(cpu, "cpu.stat");
            throttling = new Throttling(stat.getOrDefault("nr_periods", 0L), stat.getOrDefault("nr_throttled", 0L),
                    stat.getOrDefault("throttled_time", 0L));
        }
        CpuUsage usage = CpuUsage.NONE;
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
            mem = new Memory(raw.getOrDefault("cache", 0L), memoryData(memory, "memory", false),
                    memoryData(memory, "memory.memsw", true), memoryData(memory, "memory.kmem", true),
                    memoryData(memory, "memory.kmem.tcp", true), raw, null);
            oomKills = keyValues(memory, "memory.oom_control").getOrDefault("oom_kill", 0L);
        }

        Pids pids = new Pids(0, 0);
        Path p = dir(paths, "pids");
        if (p != null && Files.isDirectory(p)) {
            long limit = uint(p, "pids.max");
            pids = new Pids(uint(p, "pids.current"), limit == MAX ? 0 : limit);
        }

        Blkio blkio = Blkio.none(null);
        Path b = dir(paths, "blkio");
        if (b != null && Files.isDirectory(b)) {
            blkio = blkio(b);
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

    /** cpuset.cpus and cpuset.mems ("0-3,7") as numbers; an empty file gives none. */
    private static List<Integer> cpuList(Path dir, String file) throws CgroupException {
        String s = readOrNull(dir, file);
        List<Integer> out = new ArrayList<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        BitSet ids;
        try {
            ids = CpuList.parse(s.trim());
        } catch (IllegalArgumentException e) {
            throw malformed(dir, file, s);
        }
        for (int i = ids.nextSetBit(0); i >= 0; i = ids.nextSetBit(i + 1)) {
            out.add(i);
        }
        return out;
    }

    /** usage, peak, failcnt and limit of memory, memory.memsw, memory.kmem or memory.kmem.tcp. */
    private static MemoryEntry memoryData(Path d, String prefix, boolean optional) throws CgroupException {
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
    private static Blkio blkio(Path d) throws CgroupException {
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
}
