package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.cgroups.CgroupStats;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stats here are what the runtime reads from the fake cgroups of its V1StatsReaderTest and
 * V2StatsReaderTest, so each line is what `events --stats` prints for one of them.
 */
class EventJsonTest {
    private static final CpuUsage NO_USAGE = new CpuUsage(0, List.of(), List.of(), List.of(), 0, 0);
    private static final Throttling NO_THROTTLING = new Throttling(0, 0, 0);
    private static final CpuSet NO_CPUSET = new CpuSet(List.of(), 0, List.of(), 0, 0, 0, 0, 0, 0, 0, 0);
    private static final PsiData NO_PRESSURE = new PsiData(0, 0, 0, 0);

    private static Blkio blkio(List<BlkioEntry> bytes, List<BlkioEntry> ios, Psi psi) {
        return new Blkio(bytes, ios, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), psi);
    }

    private static Map<String, Long> raw(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
        }
        return m;
    }

    /** V1StatsReaderTest's hierarchies of a 6.x kernel. */
    private static CgroupStats v1() {
        long kmemUnlimited = 9223372036854771712L;
        return new CgroupStats(
                new Cpu(new CpuUsage(2_000_000_000L, List.of(1_200_000_000L, 800_000_000L),
                        List.of(200_000_000L, 300_000_000L), List.of(1_000_000_000L, 500_000_000L), 500_000_000L,
                        1_500_000_000L), new Throttling(10, 2, 3_000_000), null),
                new CpuSet(List.of(0, 1, 2, 5), 0, List.of(0), 0, 0, 1, 0, 0, 0, 1, -1),
                new Memory(4096, new MemoryEntry(104857600, 12288, 16384, 1), new MemoryEntry(209715200, 12288, 16384, 0),
                        new MemoryEntry(kmemUnlimited, 1024, 2048, 0), new MemoryEntry(kmemUnlimited, 0, 0, 0),
                        raw("cache", 4096, "rss", 8192, "swap", 0, "total_cache", 4096), null),
                new Pids(4, 0),
                blkio(List.of(new BlkioEntry(8, 0, "Read", 40960), new BlkioEntry(8, 0, "Write", 20480),
                                new BlkioEntry(8, 0, "Total", 61440)),
                        List.of(new BlkioEntry(8, 0, "Read", 10), new BlkioEntry(8, 0, "Write", 5),
                                new BlkioEntry(8, 0, "Total", 15)), null),
                Map.of("2MB", new Hugetlb(6291456, 6291456, 0), "1GB", new Hugetlb(0, 0, 0)),
                3);
    }

    /** V2StatsReaderTest's cgroup. */
    private static CgroupStats v2() {
        return new CgroupStats(
                new Cpu(new CpuUsage(2_000_000_000L, List.of(), List.of(), List.of(), 500_000_000L, 1_500_000_000L),
                        new Throttling(10, 2, 3_000_000), new Psi(new PsiData(39.86, 34.25, 18.93, 103000406), NO_PRESSURE)),
                NO_CPUSET,
                new Memory(4096, new MemoryEntry(104857600, 12288, 16384, 0), new MemoryEntry(-1, 16384, 0, 0),
                        MemoryEntry.ZERO, MemoryEntry.ZERO, raw("anon", 8192, "file", 4096, "kernel", 1024),
                        new Psi(new PsiData(0.5, 0, 0, 1200), new PsiData(0, 0, 0, 800))),
                new Pids(2, 100),
                blkio(List.of(new BlkioEntry(8, 0, "Read", 40960), new BlkioEntry(8, 0, "Write", 20480),
                                new BlkioEntry(8, 16, "Read", 1), new BlkioEntry(8, 16, "Write", 0)),
                        List.of(new BlkioEntry(8, 0, "Read", 10), new BlkioEntry(8, 0, "Write", 5),
                                new BlkioEntry(8, 16, "Read", 1), new BlkioEntry(8, 16, "Write", 0)), null),
                Map.of("2MB", new Hugetlb(4194304, 0, 3), "1GB", new Hugetlb(0, 0, 0)),
                1);
    }

    @Test
    void v1EventJsonHasRuncsShape() {
        String json = EventJson.stats("c1", v1());
        assertEquals("{\"type\":\"stats\",\"id\":\"c1\",\"data\":{"
                + "\"cpu\":{\"usage\":{\"total\":2000000000,\"percpu\":[1200000000,800000000],"
                + "\"percpu_kernel\":[200000000,300000000],\"percpu_user\":[1000000000,500000000],"
                + "\"kernel\":500000000,\"user\":1500000000},"
                + "\"throttling\":{\"periods\":10,\"throttledPeriods\":2,\"throttledTime\":3000000}},"
                + "\"cpuset\":{\"cpus\":[0,1,2,5],\"cpu_exclusive\":0,\"mems\":[0],\"mem_hardwall\":0,\"mem_exclusive\":0,"
                + "\"memory_migrate\":1,\"memory_spread_page\":0,\"memory_spread_slab\":0,\"memory_pressure\":0,"
                + "\"sched_load_balance\":1,\"sched_relax_domain_level\":-1},"
                + "\"memory\":{\"cache\":4096,"
                + "\"usage\":{\"limit\":104857600,\"usage\":12288,\"max\":16384,\"failcnt\":1},"
                + "\"swap\":{\"limit\":209715200,\"usage\":12288,\"max\":16384,\"failcnt\":0},"
                + "\"kernel\":{\"limit\":9223372036854771712,\"usage\":1024,\"max\":2048,\"failcnt\":0},"
                + "\"kernelTCP\":{\"limit\":9223372036854771712,\"failcnt\":0},"
                + "\"raw\":{\"cache\":4096,\"rss\":8192,\"swap\":0,\"total_cache\":4096}},"
                + "\"pids\":{\"current\":4},"
                + "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":40960},"
                + "{\"major\":8,\"op\":\"Write\",\"value\":20480},{\"major\":8,\"op\":\"Total\",\"value\":61440}],"
                + "\"ioServicedRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":10},{\"major\":8,\"op\":\"Write\",\"value\":5},"
                + "{\"major\":8,\"op\":\"Total\",\"value\":15}]},"
                + "\"hugetlb\":{\"1GB\":{\"failcnt\":0},\"2MB\":{\"usage\":6291456,\"max\":6291456,\"failcnt\":0}},"
                + "\"intel_rdt\":{},\"network_interfaces\":null}}", json);
    }

    @Test
    void v1MissingControllersAndFilesReadAsZero() {
        CgroupStats s = new CgroupStats(new Cpu(NO_USAGE, NO_THROTTLING, null), NO_CPUSET,
                new Memory(0, new MemoryEntry(1000, 0, 0, 0), MemoryEntry.ZERO, MemoryEntry.ZERO, MemoryEntry.ZERO,
                        raw("cache", 0), null),
                new Pids(0, 0), blkio(List.of(), List.of(), null), Map.of(), 0);
        assertEquals("{\"type\":\"stats\",\"id\":\"x\",\"data\":{\"cpu\":{},\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,"
                + "\"mem_exclusive\":0,\"memory_migrate\":0,\"memory_spread_page\":0,\"memory_spread_slab\":0,"
                + "\"memory_pressure\":0,\"sched_load_balance\":0,\"sched_relax_domain_level\":0},"
                + "\"memory\":{\"usage\":{\"limit\":1000,\"failcnt\":0},\"raw\":{\"cache\":0}},\"pids\":{},\"blkio\":{},"
                + "\"hugetlb\":{},\"intel_rdt\":{},\"network_interfaces\":null}}", EventJson.stats("x", s));
    }

    @Test
    void v2EventJson() {
        String json = EventJson.stats("web", v2());
        assertEquals("{\"type\":\"stats\",\"id\":\"web\",\"data\":{"
                + "\"cpu\":{\"usage\":{\"total\":2000000000,\"kernel\":500000000,\"user\":1500000000},"
                + "\"throttling\":{\"periods\":10,\"throttledPeriods\":2,\"throttledTime\":3000000},"
                + "\"psi\":{\"some\":{\"avg10\":39.86,\"avg60\":34.25,\"avg300\":18.93,\"total\":103000406}}},"
                + "\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,\"mem_exclusive\":0,\"memory_migrate\":0,"
                + "\"memory_spread_page\":0,\"memory_spread_slab\":0,\"memory_pressure\":0,\"sched_load_balance\":0,"
                + "\"sched_relax_domain_level\":0},"
                + "\"memory\":{\"cache\":4096,\"usage\":{\"limit\":104857600,\"usage\":12288,\"max\":16384,\"failcnt\":0},"
                + "\"swap\":{\"limit\":18446744073709551615,\"usage\":16384,\"failcnt\":0},"
                + "\"raw\":{\"anon\":8192,\"file\":4096,\"kernel\":1024},"
                + "\"psi\":{\"some\":{\"avg10\":0.5,\"avg60\":0,\"avg300\":0,\"total\":1200},"
                + "\"full\":{\"avg10\":0,\"avg60\":0,\"avg300\":0,\"total\":800}}},"
                + "\"pids\":{\"current\":2,\"limit\":100},"
                + "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":40960},"
                + "{\"major\":8,\"op\":\"Write\",\"value\":20480},{\"major\":8,\"minor\":16,\"op\":\"Read\",\"value\":1},"
                + "{\"major\":8,\"minor\":16,\"op\":\"Write\"}],"
                + "\"ioServicedRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":10},{\"major\":8,\"op\":\"Write\",\"value\":5},"
                + "{\"major\":8,\"minor\":16,\"op\":\"Read\",\"value\":1},{\"major\":8,\"minor\":16,\"op\":\"Write\"}]},"
                + "\"hugetlb\":{\"1GB\":{\"failcnt\":0},\"2MB\":{\"usage\":4194304,\"failcnt\":3}},"
                + "\"intel_rdt\":{},\"network_interfaces\":null}}", json);
    }

    @Test
    void psiThatIsAllZeroIsLeftOut() {
        CgroupStats s = new CgroupStats(new Cpu(NO_USAGE, NO_THROTTLING, new Psi(NO_PRESSURE, NO_PRESSURE)), NO_CPUSET,
                new Memory(0, MemoryEntry.ZERO, MemoryEntry.ZERO, MemoryEntry.ZERO, MemoryEntry.ZERO, Map.of(), null),
                new Pids(0, 0), blkio(List.of(), List.of(), null), Map.of(), 0);
        assertTrue(EventJson.stats("z", s).startsWith("{\"type\":\"stats\",\"id\":\"z\",\"data\":{\"cpu\":{\"psi\":{}},"),
                EventJson.stats("z", s));
    }

    @Test
    void oomEventNamesTheContainer() {
        assertEquals("{\"type\":\"oom\",\"id\":\"web\"}", EventJson.oom("web"));
    }
}
