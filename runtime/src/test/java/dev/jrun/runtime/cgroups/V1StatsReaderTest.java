package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.CgroupTestSupport.files;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.cgroups.CgroupStats.Blkio;
import dev.jrun.runtime.cgroups.CgroupStats.BlkioEntry;
import dev.jrun.runtime.cgroups.CgroupStats.Cpu;
import dev.jrun.runtime.cgroups.CgroupStats.CpuSet;
import dev.jrun.runtime.cgroups.CgroupStats.CpuUsage;
import dev.jrun.runtime.cgroups.CgroupStats.Throttling;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class V1StatsReaderTest {
    @TempDir
    Path tmp;

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
        CgroupStats s = V1StatsReader.read(v1Tree());
        assertEquals(new CgroupStats.CpuUsage(2_000_000_000L, List.of(1_200_000_000L, 800_000_000L),
                List.of(200_000_000L, 300_000_000L), List.of(1_000_000_000L, 500_000_000L), 500_000_000L, 1_500_000_000L),
                s.cpu().usage());
        assertEquals(new CgroupStats.Throttling(10, 2, 3_000_000), s.cpu().throttling());
        assertNull(s.cpu().psi());
        assertEquals(List.of(0, 1, 2, 5), s.cpuset().cpus());
        assertEquals(List.of(0), s.cpuset().mems());
        assertEquals(1, s.cpuset().memoryMigrate());
        assertEquals(-1, s.cpuset().schedRelaxDomainLevel());
        assertEquals(new CpuSet(List.of(0, 1, 2, 5), 0, List.of(0), 0, 0, 1, 0, 0, 0, 1, -1), s.cpuset());
        assertEquals(4096, s.memory().cache());
        assertEquals(new CgroupStats.MemoryEntry(104857600, 12288, 16384, 1), s.memory().usage());
        assertEquals(new CgroupStats.MemoryEntry(209715200, 12288, 16384, 0), s.memory().swap());
        assertEquals(new CgroupStats.MemoryEntry(9223372036854771712L, 1024, 2048, 0), s.memory().kernel());
        assertEquals(new CgroupStats.MemoryEntry(9223372036854771712L, 0, 0, 0), s.memory().kernelTCP());
        assertEquals(8192L, s.memory().raw().get("rss"));
        assertEquals(Map.of("cache", 4096L, "rss", 8192L, "swap", 0L, "total_cache", 4096L), s.memory().raw());
        assertNull(s.memory().psi());
        assertEquals(new CgroupStats.Pids(4, 0), s.pids());
        // the BFQ files are empty, so runc's order falls through to the recursive throttle files
        assertEquals(List.of(new BlkioEntry(8, 0, "Read", 10), new BlkioEntry(8, 0, "Write", 5),
                new BlkioEntry(8, 0, "Total", 15)), s.blkio().ioServicedRecursive());
        assertEquals(new BlkioEntry(8, 0, "Read", 40960), s.blkio().ioServiceBytesRecursive().get(0));
        assertEquals(List.of(new BlkioEntry(8, 0, "Read", 40960), new BlkioEntry(8, 0, "Write", 20480),
                new BlkioEntry(8, 0, "Total", 61440)), s.blkio().ioServiceBytesRecursive());
        assertEquals(List.of(), s.blkio().sectorsRecursive());
        // reservations are reported where the kernel has them
        assertEquals(new CgroupStats.Hugetlb(6291456, 6291456, 0), s.hugetlb().get("2MB"));
        assertEquals(new CgroupStats.Hugetlb(0, 0, 0), s.hugetlb().get("1GB"));
        assertEquals(3, s.oomKills());
    }

    @Test
    void v1MissingControllersAndFilesReadAsZero() throws Exception {
        Path mem = tree(tmp.resolve("memory/c2"), files("memory.stat", "cache 0\n", "memory.usage_in_bytes", "0\n",
                "memory.max_usage_in_bytes", "0\n", "memory.failcnt", "0\n", "memory.limit_in_bytes", "1000\n"));
        CgroupStats s = V1StatsReader.read(Map.of("memory", mem.toString(), "cpu", tmp.resolve("nowhere").toString()));
        assertEquals(new CgroupStats.MemoryEntry(1000, 0, 0, 0), s.memory().usage());
        assertEquals(CgroupStats.MemoryEntry.ZERO, s.memory().swap()); // no swap accounting
        assertEquals(0, s.oomKills());
        assertTrue(s.hugetlb().isEmpty());
        // what EventJsonTest.v1MissingControllersAndFilesReadAsZero encodes
        assertEquals(new Cpu(CpuUsage.NONE, Throttling.NONE, null), s.cpu());
        assertEquals(CpuSet.EMPTY, s.cpuset());
        assertEquals(Map.of("cache", 0L), s.memory().raw());
        assertEquals(new CgroupStats.Pids(0, 0), s.pids());
        assertEquals(Blkio.none(null), s.blkio());
    }

    @Test
    void malformedFilesAreErrors() throws Exception {
        Path cpu = tree(tmp.resolve("cpu/c3"), files("cpu.stat", "nr_periods ten\n"));
        CgroupException e = assertThrows(CgroupException.class, () -> V1StatsReader.read(Map.of("cpu", cpu.toString())));
        assertTrue(e.getMessage().startsWith("parse " + cpu.resolve("cpu.stat")), e.getMessage());
    }
}
