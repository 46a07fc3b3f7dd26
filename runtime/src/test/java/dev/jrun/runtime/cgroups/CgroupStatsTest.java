package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.CgroupTestSupport.put;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.cgroups.CgroupStats.BlkioEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupStatsTest {
    @TempDir
    Path tmp;

    private static Map<String, String> files(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A container's v1 hierarchies as a 6.x kernel shows them. */
    private Map<String, String> v1Tree() {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("cpu", tree(tmp.resolve("cpu/c1"), files(
                "cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 3000000\nnr_bursts 0\nburst_time 0\n",
                "cpu.shares", "1024\n")).toString());
        paths.put("cpuacct", tree(tmp.resolve("cpuacct/c1"), files(
                "cpuacct.stat", "user 150\nsystem 50\n",
                "cpuacct.usage", "2000000000\n",
                "cpuacct.usage_percpu", "1200000000 800000000 \n",
                "cpuacct.usage_all", "cpu user system\n0 1000000000 200000000\n1 500000000 300000000\n")).toString());
        paths.put("cpuset", tree(tmp.resolve("cpuset/c1"), files(
                "cpuset.cpus", "0-2,5\n", "cpuset.mems", "0\n", "cpuset.cpu_exclusive", "0\n",
                "cpuset.mem_hardwall", "0\n", "cpuset.mem_exclusive", "0\n", "cpuset.memory_migrate", "1\n",
                "cpuset.memory_spread_page", "0\n", "cpuset.memory_spread_slab", "0\n", "cpuset.memory_pressure", "0\n",
                "cpuset.sched_load_balance", "1\n", "cpuset.sched_relax_domain_level", "-1\n")).toString());
        paths.put("memory", tree(tmp.resolve("memory/c1"), files(
                "memory.stat", "cache 4096\nrss 8192\nswap 0\ntotal_cache 4096\n",
                "memory.usage_in_bytes", "12288\n", "memory.max_usage_in_bytes", "16384\n", "memory.failcnt", "1\n",
                "memory.limit_in_bytes", "104857600\n",
                "memory.memsw.usage_in_bytes", "12288\n", "memory.memsw.max_usage_in_bytes", "16384\n",
                "memory.memsw.failcnt", "0\n", "memory.memsw.limit_in_bytes", "209715200\n",
                "memory.kmem.usage_in_bytes", "1024\n", "memory.kmem.max_usage_in_bytes", "2048\n",
                "memory.kmem.failcnt", "0\n", "memory.kmem.limit_in_bytes", "9223372036854771712\n",
                "memory.kmem.tcp.usage_in_bytes", "0\n", "memory.kmem.tcp.max_usage_in_bytes", "0\n",
                "memory.kmem.tcp.failcnt", "0\n", "memory.kmem.tcp.limit_in_bytes", "9223372036854771712\n",
                "memory.use_hierarchy", "1\n",
                "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n")).toString());
        paths.put("pids", tree(tmp.resolve("pids/c1"), files("pids.current", "4\n", "pids.max", "max\n")).toString());
        paths.put("blkio", tree(tmp.resolve("blkio/c1"), files(
                "blkio.bfq.io_serviced_recursive", "Total 0\n",
                "blkio.bfq.io_service_bytes_recursive", "Total 0\n",
                "blkio.throttle.io_serviced_recursive", "8:0 Read 10\n8:0 Write 5\n8:0 Total 15\nTotal 15\n",
                "blkio.throttle.io_service_bytes_recursive", "8:0 Read 40960\n8:0 Write 20480\n8:0 Total 61440\nTotal 61440\n",
                "blkio.throttle.io_serviced", "8:0 Read 1\nTotal 1\n",
                "blkio.throttle.io_service_bytes", "8:0 Read 1\nTotal 1\n")).toString());
        paths.put("hugetlb", tree(tmp.resolve("hugetlb/c1"), files(
                "hugetlb.2MB.limit_in_bytes", "9223372036854771712\n", "hugetlb.2MB.usage_in_bytes", "2097152\n",
                "hugetlb.2MB.max_usage_in_bytes", "4194304\n", "hugetlb.2MB.failcnt", "1\n",
                "hugetlb.2MB.rsvd.limit_in_bytes", "9223372036854771712\n", "hugetlb.2MB.rsvd.usage_in_bytes", "6291456\n",
                "hugetlb.2MB.rsvd.max_usage_in_bytes", "6291456\n", "hugetlb.2MB.rsvd.failcnt", "0\n",
                "hugetlb.1GB.limit_in_bytes", "9223372036854771712\n", "hugetlb.1GB.usage_in_bytes", "0\n",
                "hugetlb.1GB.max_usage_in_bytes", "0\n", "hugetlb.1GB.failcnt", "0\n")).toString());
        paths.put("devices", tree(tmp.resolve("devices/c1"), files("devices.list", "c 1:3 rwm\n")).toString());
        return paths;
    }

    @Test
    void v1Numbers() throws Exception {
        CgroupStats s = CgroupStats.readV1(v1Tree());
        assertEquals(new CgroupStats.CpuUsage(2_000_000_000L, List.of(1_200_000_000L, 800_000_000L),
                List.of(200_000_000L, 300_000_000L), List.of(1_000_000_000L, 500_000_000L), 500_000_000L, 1_500_000_000L),
                s.cpu().usage());
        assertEquals(new CgroupStats.Throttling(10, 2, 3_000_000), s.cpu().throttling());
        assertNull(s.cpu().psi());
        assertEquals(List.of(0, 1, 2, 5), s.cpuset().cpus());
        assertEquals(List.of(0), s.cpuset().mems());
        assertEquals(1, s.cpuset().memoryMigrate());
        assertEquals(-1, s.cpuset().schedRelaxDomainLevel());
        assertEquals(4096, s.memory().cache());
        assertEquals(new CgroupStats.MemoryEntry(104857600, 12288, 16384, 1), s.memory().usage());
        assertEquals(new CgroupStats.MemoryEntry(209715200, 12288, 16384, 0), s.memory().swap());
        assertEquals(new CgroupStats.MemoryEntry(9223372036854771712L, 1024, 2048, 0), s.memory().kernel());
        assertEquals(8192L, s.memory().raw().get("rss"));
        assertEquals(new CgroupStats.Pids(4, 0), s.pids());
        // the BFQ files are empty, so runc's order falls through to the recursive throttle files
        assertEquals(List.of(new BlkioEntry(8, 0, "Read", 10), new BlkioEntry(8, 0, "Write", 5),
                new BlkioEntry(8, 0, "Total", 15)), s.blkio().ioServicedRecursive());
        assertEquals(new BlkioEntry(8, 0, "Read", 40960), s.blkio().ioServiceBytesRecursive().get(0));
        assertEquals(List.of(), s.blkio().sectorsRecursive());
        // reservations are reported where the kernel has them
        assertEquals(new CgroupStats.Hugetlb(6291456, 6291456, 0), s.hugetlb().get("2MB"));
        assertEquals(new CgroupStats.Hugetlb(0, 0, 0), s.hugetlb().get("1GB"));
        assertEquals(3, s.oomKills());
    }

    @Test
    void v1EventJsonHasRuncsShape() throws Exception {
        String json = CgroupStats.readV1(v1Tree()).eventJson("c1");
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
    void v1MissingControllersAndFilesReadAsZero() throws Exception {
        Path mem = tree(tmp.resolve("memory/c2"), files("memory.stat", "cache 0\n", "memory.usage_in_bytes", "0\n",
                "memory.max_usage_in_bytes", "0\n", "memory.failcnt", "0\n", "memory.limit_in_bytes", "1000\n"));
        CgroupStats s = CgroupStats.readV1(Map.of("memory", mem.toString(), "cpu", tmp.resolve("nowhere").toString()));
        assertEquals(new CgroupStats.MemoryEntry(1000, 0, 0, 0), s.memory().usage());
        assertEquals(CgroupStats.MemoryEntry.ZERO, s.memory().swap()); // no swap accounting
        assertEquals(0, s.oomKills());
        assertTrue(s.hugetlb().isEmpty());
        assertEquals("{\"type\":\"stats\",\"id\":\"x\",\"data\":{\"cpu\":{},\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,"
                + "\"mem_exclusive\":0,\"memory_migrate\":0,\"memory_spread_page\":0,\"memory_spread_slab\":0,"
                + "\"memory_pressure\":0,\"sched_load_balance\":0,\"sched_relax_domain_level\":0},"
                + "\"memory\":{\"usage\":{\"limit\":1000,\"failcnt\":0},\"raw\":{\"cache\":0}},\"pids\":{},\"blkio\":{},"
                + "\"hugetlb\":{},\"intel_rdt\":{},\"network_interfaces\":null}}", s.eventJson("x"));
    }

    @Test
    void malformedFilesAreErrors() throws Exception {
        Path cpu = tree(tmp.resolve("cpu/c3"), files("cpu.stat", "nr_periods ten\n"));
        CgroupException e = assertThrows(CgroupException.class, () -> CgroupStats.readV1(Map.of("cpu", cpu.toString())));
        assertTrue(e.getMessage().startsWith("parse " + cpu.resolve("cpu.stat")), e.getMessage());
    }

    // ------------------------------------------------------------------ v2

    private Path v2Tree() {
        return tree(tmp.resolve("unified/c1"), files(
                "cgroup.procs", "10\n11\n",
                "cpu.stat", "usage_usec 2000000\nuser_usec 1500000\nsystem_usec 500000\nnice_usec 0\n"
                        + "nr_periods 10\nnr_throttled 2\nthrottled_usec 3000\nnr_bursts 0\nburst_usec 0\n",
                "cpu.pressure", "some avg10=39.86 avg60=34.25 avg300=18.93 total=103000406\n"
                        + "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
                "memory.stat", "anon 8192\nfile 4096\nkernel 1024\n",
                "memory.current", "12288\n", "memory.max", "104857600\n", "memory.peak", "16384\n",
                "memory.swap.current", "4096\n", "memory.swap.max", "max\n",
                "memory.events", "low 0\nhigh 0\nmax 5\noom 2\noom_kill 1\noom_group_kill 0\n",
                "memory.pressure", "some avg10=0.50 avg60=0.00 avg300=0.00 total=1200\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=800\n",
                "io.stat", "8:0 rbytes=40960 wbytes=20480 rios=10 wios=5 dbytes=0 dios=0\n8:16 rbytes=1 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n",
                "pids.current", "2\n", "pids.max", "100\n",
                "hugetlb.2MB.max", "max\n", "hugetlb.2MB.current", "2097152\n", "hugetlb.2MB.rsvd.max", "max\n",
                "hugetlb.2MB.rsvd.current", "4194304\n", "hugetlb.2MB.events", "max 3\n",
                "hugetlb.1GB.max", "max\n", "hugetlb.1GB.current", "0\n", "hugetlb.1GB.events", "max 0\n"));
    }

    @Test
    void v2Numbers() throws Exception {
        CgroupStats s = CgroupStats.readV2(v2Tree());
        assertEquals(new CgroupStats.CpuUsage(2_000_000_000L, List.of(), List.of(), List.of(), 500_000_000L, 1_500_000_000L),
                s.cpu().usage());
        assertEquals(new CgroupStats.Throttling(10, 2, 3_000_000), s.cpu().throttling());
        assertEquals(new CgroupStats.PsiData(39.86, 34.25, 18.93, 103000406), s.cpu().psi().some());
        assertEquals(4096, s.memory().cache()); // "file"
        assertEquals(new CgroupStats.MemoryEntry(104857600, 12288, 16384, 0), s.memory().usage());
        // memory+swap, as v1 reports it; an unlimited swap stays unlimited
        assertEquals(new CgroupStats.MemoryEntry(-1, 16384, 0, 0), s.memory().swap());
        assertEquals(new CgroupStats.Pids(2, 100), s.pids());
        assertEquals(List.of(new BlkioEntry(8, 0, "Read", 40960), new BlkioEntry(8, 0, "Write", 20480),
                new BlkioEntry(8, 16, "Read", 1), new BlkioEntry(8, 16, "Write", 0)), s.blkio().ioServiceBytesRecursive());
        assertEquals(new BlkioEntry(8, 0, "Read", 10), s.blkio().ioServicedRecursive().get(0));
        assertEquals(new CgroupStats.Hugetlb(4194304, 0, 3), s.hugetlb().get("2MB"));
        assertEquals(new CgroupStats.Hugetlb(0, 0, 0), s.hugetlb().get("1GB"));
        assertEquals(1, s.oomKills());
    }

    @Test
    void v2SwapLimitAddsTheMemoryLimit() throws Exception {
        Path d = v2Tree();
        put(d, "memory.swap.max", "1000\n");
        assertEquals(new CgroupStats.MemoryEntry(104858600, 16384, 0, 0), CgroupStats.readV2(d).memory().swap());
        Files.delete(d.resolve("memory.swap.current"));
        Files.delete(d.resolve("memory.swap.max"));
        assertEquals(new CgroupStats.MemoryEntry(104857600, 12288, 0, 0), CgroupStats.readV2(d).memory().swap());
    }

    @Test
    void v2WithoutThePidsControllerCountsProcesses() throws Exception {
        Path d = v2Tree();
        Files.delete(d.resolve("pids.current"));
        assertEquals(new CgroupStats.Pids(2, 0), CgroupStats.readV2(d).pids());
    }

    @Test
    void v2EventJson() throws Exception {
        String json = CgroupStats.readV2(v2Tree()).eventJson("web");
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
    void psiThatIsAllZeroIsLeftOut() throws Exception {
        Path d = tree(tmp.resolve("unified/c9"), files("cpu.pressure",
                "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"));
        CgroupStats s = CgroupStats.readV2(d);
        assertEquals(new CgroupStats.Psi(new CgroupStats.PsiData(0, 0, 0, 0), new CgroupStats.PsiData(0, 0, 0, 0)),
                s.cpu().psi());
        assertTrue(s.eventJson("z").startsWith("{\"type\":\"stats\",\"id\":\"z\",\"data\":{\"cpu\":{\"psi\":{}},"),
                s.eventJson("z"));
    }
}
