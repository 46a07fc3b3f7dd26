package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.CgroupTestSupport.files;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.put;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jrun.runtime.cgroups.CgroupStats.BlkioEntry;
import dev.jrun.runtime.cgroups.CgroupStats.Cpu;
import dev.jrun.runtime.cgroups.CgroupStats.CpuSet;
import dev.jrun.runtime.cgroups.CgroupStats.CpuUsage;
import dev.jrun.runtime.cgroups.CgroupStats.MemoryEntry;
import dev.jrun.runtime.cgroups.CgroupStats.Psi;
import dev.jrun.runtime.cgroups.CgroupStats.PsiData;
import dev.jrun.runtime.cgroups.CgroupStats.Throttling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class V2StatsReaderTest {
    @TempDir
    Path tmp;

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
        CgroupStats s = V2StatsReader.read(v2Tree());
        assertEquals(new CgroupStats.CpuUsage(2_000_000_000L, List.of(), List.of(), List.of(), 500_000_000L, 1_500_000_000L),
                s.cpu().usage());
        assertEquals(new CgroupStats.Throttling(10, 2, 3_000_000), s.cpu().throttling());
        assertEquals(new CgroupStats.PsiData(39.86, 34.25, 18.93, 103000406), s.cpu().psi().some());
        assertEquals(new PsiData(0, 0, 0, 0), s.cpu().psi().full());
        assertEquals(CpuSet.EMPTY, s.cpuset());
        assertEquals(4096, s.memory().cache()); // "file"
        assertEquals(new CgroupStats.MemoryEntry(104857600, 12288, 16384, 0), s.memory().usage());
        // memory+swap, as v1 reports it; an unlimited swap stays unlimited
        assertEquals(new CgroupStats.MemoryEntry(-1, 16384, 0, 0), s.memory().swap());
        assertEquals(MemoryEntry.ZERO, s.memory().kernel());
        assertEquals(MemoryEntry.ZERO, s.memory().kernelTCP());
        assertEquals(Map.of("anon", 8192L, "file", 4096L, "kernel", 1024L), s.memory().raw());
        assertEquals(new Psi(new PsiData(0.5, 0, 0, 1200), new PsiData(0, 0, 0, 800)), s.memory().psi());
        assertEquals(new CgroupStats.Pids(2, 100), s.pids());
        assertEquals(List.of(new BlkioEntry(8, 0, "Read", 40960), new BlkioEntry(8, 0, "Write", 20480),
                new BlkioEntry(8, 16, "Read", 1), new BlkioEntry(8, 16, "Write", 0)), s.blkio().ioServiceBytesRecursive());
        assertEquals(new BlkioEntry(8, 0, "Read", 10), s.blkio().ioServicedRecursive().get(0));
        assertEquals(List.of(new BlkioEntry(8, 0, "Read", 10), new BlkioEntry(8, 0, "Write", 5),
                new BlkioEntry(8, 16, "Read", 1), new BlkioEntry(8, 16, "Write", 0)), s.blkio().ioServicedRecursive());
        assertNull(s.blkio().psi());
        assertEquals(new CgroupStats.Hugetlb(4194304, 0, 3), s.hugetlb().get("2MB"));
        assertEquals(new CgroupStats.Hugetlb(0, 0, 0), s.hugetlb().get("1GB"));
        assertEquals(1, s.oomKills());
    }

    @Test
    void v2SwapLimitAddsTheMemoryLimit() throws Exception {
        Path d = v2Tree();
        put(d, "memory.swap.max", "1000\n");
        assertEquals(new CgroupStats.MemoryEntry(104858600, 16384, 0, 0), V2StatsReader.read(d).memory().swap());
        Files.delete(d.resolve("memory.swap.current"));
        Files.delete(d.resolve("memory.swap.max"));
        assertEquals(new CgroupStats.MemoryEntry(104857600, 12288, 0, 0), V2StatsReader.read(d).memory().swap());
    }

    @Test
    void v2WithoutThePidsControllerCountsProcesses() throws Exception {
        Path d = v2Tree();
        Files.delete(d.resolve("pids.current"));
        assertEquals(new CgroupStats.Pids(2, 0), V2StatsReader.read(d).pids());
    }

    @Test
    void psiThatIsAllZeroIsLeftOut() throws Exception {
        Path d = tree(tmp.resolve("unified/c9"), files("cpu.pressure",
                "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"));
        CgroupStats s = V2StatsReader.read(d);
        assertEquals(new CgroupStats.Psi(new CgroupStats.PsiData(0, 0, 0, 0), new CgroupStats.PsiData(0, 0, 0, 0)),
                s.cpu().psi());
        // what EventJsonTest.psiThatIsAllZeroIsLeftOut encodes
        assertEquals(new Cpu(CpuUsage.NONE, Throttling.NONE,
                new Psi(new PsiData(0, 0, 0, 0), new PsiData(0, 0, 0, 0))), s.cpu());
    }
}
