package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.CgroupTestSupport.put;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.res;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.LinuxResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class V2ResourcesTest {
    @TempDir
    Path tmp;
    Path dir;

    /** The files of a container cgroup on a 6.x kernel with every controller enabled. */
    static Map<String, String> v2Files() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        f.put("cgroup.subtree_control", "\n");
        f.put("cgroup.procs", "");
        f.put("cgroup.max.depth", "max\n");
        f.put("cgroup.freeze", "0\n");
        f.put("cpu.weight", "100\n");
        f.put("cpu.max", "max 100000\n");
        f.put("cpu.max.burst", "0\n");
        f.put("cpu.idle", "0\n");
        f.put("cpu.pressure", "");
        f.put("cpuset.cpus", "\n");
        f.put("cpuset.mems", "\n");
        f.put("memory.max", "max\n");
        f.put("memory.high", "max\n");
        f.put("memory.low", "0\n");
        f.put("memory.swap.max", "max\n");
        f.put("memory.current", "4096\n");
        f.put("memory.oom.group", "0\n");
        f.put("pids.max", "max\n");
        f.put("io.max", "");
        f.put("io.weight", "default 100\n");
        f.put("hugetlb.2MB.max", "max\n");
        f.put("hugetlb.2MB.rsvd.max", "max\n");
        f.put("hugetlb.1GB.max", "max\n");
        f.put("hugetlb.1GB.rsvd.max", "max\n");
        f.put("rdma.max", "");
        f.put("misc.max", "");
        return f;
    }

    @BeforeEach
    void fakeCgroup() {
        dir = CgroupTestSupport.tree(tmp.resolve("c1"), v2Files());
    }

    private List<String> plan(String json) throws CgroupException {
        return show(V2Resources.plan(res(json), dir));
    }

    private String error(String json) {
        return assertThrows(CgroupException.class, () -> V2Resources.plan(res(json), dir)).getMessage();
    }

    private void remove(String file) throws Exception {
        Files.delete(dir.resolve(file));
    }

    @Test
    void nothingForNothing() throws Exception {
        assertEquals(List.of(), show(V2Resources.plan(null, dir)));
        assertEquals(List.of(), plan("{}"));
        assertEquals(List.of(), plan("{'memory':{},'cpu':{},'pids':{},'blockIO':{},'unified':{}}"));
    }

    // ------------------------------------------------------------------ pids

    @Test
    void pids() throws Exception {
        assertEquals(List.of("pids.max=42"), plan("{'pids':{'limit':42}}"));
        assertEquals(List.of("pids.max=1"), plan("{'pids':{'limit':0}}"));
        assertEquals(List.of("pids.max=max"), plan("{'pids':{'limit':-1}}"));
    }

    // ------------------------------------------------------------------ memory

    @Test
    void memoryLimitReservationAndSwap() throws Exception {
        assertEquals(List.of("memory.max=104857600"), plan("{'memory':{'limit':104857600}}"));
        assertEquals(List.of("memory.low=52428800"), plan("{'memory':{'reservation':52428800}}"));
        // swap is memory+swap in the spec and swap alone in memory.swap.max
        assertEquals(List.of("memory.swap.max=104857600", "memory.max=104857600"),
                plan("{'memory':{'limit':104857600,'swap':209715200}}"));
        assertEquals(List.of("memory.swap.max=0", "memory.max=104857600"),
                plan("{'memory':{'limit':104857600,'swap':104857600}}"));
        assertEquals(List.of("memory.swap.max=max", "memory.max=104857600"),
                plan("{'memory':{'limit':104857600,'swap':-1}}"));
        assertEquals(List.of("memory.swap.max=max", "memory.max=max"), plan("{'memory':{'limit':-1}}"));
        assertEquals(List.of("memory.swap.max=209715200", "memory.max=max"), plan("{'memory':{'limit':-1,'swap':209715200}}"));
    }

    @Test
    void withoutSwapAccountingOnlyRealSwapLimitsFail() throws Exception {
        remove("memory.swap.max");
        assertEquals(List.of("memory.max=max"), plan("{'memory':{'limit':-1}}"));
        assertEquals(List.of("memory.max=100"), plan("{'memory':{'limit':100,'swap':100}}"));
        // a real swap limit is still planned: writing it fails, naming the file
        assertEquals(List.of("memory.swap.max=100", "memory.max=100"), plan("{'memory':{'limit':100,'swap':200}}"));
    }

    @Test
    void swapConversionErrors() {
        assertTrue(error("{'memory':{'swap':209715200}}")
                .startsWith("linux.resources.memory.swap: unable to set a swap limit without a memory limit"));
    }

    @Test
    void checkBeforeUpdateComparesWithMemoryCurrent() throws Exception {
        put(dir, "memory.current", "1000000\n");
        assertEquals("linux.resources.memory.limit: rejecting memory limit 500000 <= usage 1000000",
                error("{'memory':{'limit':500000,'checkBeforeUpdate':true}}"));
        assertEquals("linux.resources.memory.swap: rejecting memory+swap limit 900000 <= usage 1000000",
                error("{'memory':{'limit':2000000,'swap':900000,'checkBeforeUpdate':true}}"));
        assertEquals(List.of("memory.max=2000000"), plan("{'memory':{'limit':2000000,'checkBeforeUpdate':true}}"));
        // without the check the kernel's OOM killer would act instead
        assertEquals(List.of("memory.max=500000"), plan("{'memory':{'limit':500000}}"));
        remove("memory.current");
        assertEquals(List.of("memory.max=500000"), plan("{'memory':{'limit':500000,'checkBeforeUpdate':true}}"));
    }

    @Test
    void v1OnlyMemorySettingsAreRefusedWhenTheyAskForSomething() throws Exception {
        assertTrue(error("{'memory':{'kernel':1048576}}").startsWith("linux.resources.memory.kernel: "));
        assertTrue(error("{'memory':{'kernelTCP':1048576}}").startsWith("linux.resources.memory.kernelTCP: "));
        assertTrue(error("{'memory':{'swappiness':10}}").startsWith("linux.resources.memory.swappiness: "));
        assertTrue(error("{'memory':{'disableOOMKiller':true}}").startsWith("linux.resources.memory.disableOOMKiller: "));
        assertTrue(error("{'memory':{'useHierarchy':false}}").startsWith("linux.resources.memory.useHierarchy: "));
        assertEquals(List.of(), plan("{'memory':{'kernel':-1,'kernelTCP':-1,'swappiness':18446744073709551615,"
                + "'disableOOMKiller':false,'useHierarchy':true}}"));
    }

    // ------------------------------------------------------------------ cpu

    @Test
    void sharesBecomeWeight() throws Exception {
        assertEquals(List.of("cpu.weight=100"), plan("{'cpu':{'shares':1024}}"));
        assertEquals(List.of("cpu.weight=1"), plan("{'cpu':{'shares':2}}"));
        assertEquals(List.of("cpu.weight=10000"), plan("{'cpu':{'shares':262144}}"));
        assertEquals(List.of("cpu.weight=59"), plan("{'cpu':{'shares':512}}"));
    }

    @Test
    void quotaAndPeriodBecomeCpuMax() throws Exception {
        assertEquals(List.of("cpu.max=50000 250000"), plan("{'cpu':{'quota':50000,'period':250000}}"));
        assertEquals(List.of("cpu.max=50000 100000"), plan("{'cpu':{'quota':50000}}"));
        assertEquals(List.of("cpu.max=max 250000"), plan("{'cpu':{'period':250000}}"));
        assertEquals(List.of("cpu.max=max 100000"), plan("{'cpu':{'quota':-1}}"));
    }

    @Test
    void burstIsRaisedAfterAndLoweredBeforeTheQuota() throws Exception {
        assertEquals(List.of("cpu.max=50000 100000", "cpu.max.burst=20000"),
                plan("{'cpu':{'quota':50000,'burst':20000}}"));
        put(dir, "cpu.max.burst", "30000\n");
        assertEquals(List.of("cpu.max.burst=20000", "cpu.max=25000 100000"),
                plan("{'cpu':{'quota':25000,'burst':20000}}"));
        assertEquals(List.of("cpu.max.burst=0"), plan("{'cpu':{'burst':0}}"));
        remove("cpu.max.burst");
        assertEquals(List.of(), plan("{'cpu':{'burst':0}}"));
        assertTrue(error("{'cpu':{'burst':1000}}").startsWith("linux.resources.cpu.burst: "));
    }

    @Test
    void idleAndRealtime() throws Exception {
        assertEquals(List.of("cpu.idle=1"), plan("{'cpu':{'idle':1}}"));
        assertTrue(error("{'cpu':{'realtimeRuntime':950000}}").startsWith("linux.resources.cpu.realtimeRuntime: "));
        assertTrue(error("{'cpu':{'realtimePeriod':1000000}}").startsWith("linux.resources.cpu.realtimePeriod: "));
        assertEquals(List.of(), plan("{'cpu':{'realtimeRuntime':0,'realtimePeriod':0}}"));
    }

    @Test
    void cpuOrderIsIdleWeightMaxThenCpuset() throws Exception {
        assertEquals(List.of("cpu.idle=0", "cpu.weight=100", "cpu.max=1000 2000", "cpuset.cpus=0-1", "cpuset.mems=0"),
                plan("{'cpu':{'cpus':'0-1','mems':'0','quota':1000,'period':2000,'shares':1024,'idle':0}}"));
    }

    // ------------------------------------------------------------------ io

    @Test
    void blkioWeightConvertsToIoWeight() throws Exception {
        assertEquals(List.of("io.weight=4950"), plan("{'blockIO':{'weight':500}}"));
        assertEquals(List.of("io.weight=1"), plan("{'blockIO':{'weight':10}}"));
        assertEquals(List.of("io.weight=10000"), plan("{'blockIO':{'weight':1000}}"));
        assertEquals(List.of("io.weight=8:0 4950"), plan("{'blockIO':{'weightDevice':[{'major':8,'minor':0,'weight':500}]}}"));
    }

    @Test
    void bfqTakesTheWeightUnconverted() throws Exception {
        put(dir, "io.bfq.weight", "default 100\n");
        assertEquals(List.of("io.bfq.weight=500", "io.bfq.weight=8:0 300", "io.bfq.weight=8:16 5"),
                plan("{'blockIO':{'weight':500,'weightDevice':[{'major':8,'minor':0,'weight':300},"
                        + "{'major':8,'minor':16,'weight':5}]}}"));
        // an old BFQ (before 5.4) has no per-device weights; io.weight (iocost) takes them then
        put(dir, "io.bfq.weight", "100\n");
        assertEquals(List.of("io.bfq.weight=500", "io.weight=8:0 2930"),
                plan("{'blockIO':{'weight':500,'weightDevice':[{'major':8,'minor':0,'weight':300}]}}"));
        remove("io.weight");
        assertTrue(error("{'blockIO':{'weightDevice':[{'major':8,'minor':0,'weight':300}]}}")
                .startsWith("linux.resources.blockIO.weightDevice[0].weight: "));
        remove("io.bfq.weight");
        assertTrue(error("{'blockIO':{'weight':300}}").startsWith("linux.resources.blockIO.weight: "));
    }

    @Test
    void leafWeightsHaveNoV2Equivalent() {
        assertTrue(error("{'blockIO':{'leafWeight':300}}").startsWith("linux.resources.blockIO.leafWeight: "));
        assertTrue(error("{'blockIO':{'weightDevice':[{'major':8,'minor':0,'leafWeight':300}]}}")
                .startsWith("linux.resources.blockIO.weightDevice[0].leafWeight: "));
    }

    @Test
    void throttlesBecomeOneIoMaxLinePerDevice() throws Exception {
        assertEquals(List.of("io.max=8:0 rbps=1048576 wbps=2097152 wiops=300", "io.max=8:16 rbps=max riops=100"),
                plan("{'blockIO':{'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1048576},{'major':8,'minor':16,'rate':0}],"
                        + "'throttleWriteBpsDevice':[{'major':8,'minor':0,'rate':2097152}],"
                        + "'throttleReadIOPSDevice':[{'major':8,'minor':16,'rate':100}],"
                        + "'throttleWriteIOPSDevice':[{'major':8,'minor':0,'rate':300}]}}"));
    }

    // ------------------------------------------------------------------ hugetlb, rdma, network

    @Test
    void hugetlb() throws Exception {
        assertEquals(List.of("hugetlb.2MB.max=209715200", "hugetlb.2MB.rsvd.max=209715200", "hugetlb.1GB.max=1073741824",
                "hugetlb.1GB.rsvd.max=1073741824"),
                plan("{'hugepageLimits':[{'pageSize':'2MB','limit':209715200},{'pageSize':'1GB','limit':1073741824}]}"));
        remove("hugetlb.2MB.rsvd.max");
        assertEquals(List.of("hugetlb.2MB.max=209715200", "hugetlb.1GB.max=1073741824"),
                plan("{'hugepageLimits':[{'pageSize':'2MB','limit':209715200},{'pageSize':'1GB','limit':1073741824}]}"));
    }

    @Test
    void rdma() throws Exception {
        assertEquals(List.of("rdma.max=mlx4_0 hca_handle=2 hca_object=2000"),
                plan("{'rdma':{'mlx4_0':{'hcaHandles':2,'hcaObjects':2000}}}"));
    }

    @Test
    void netClsAndNetPrioHaveNoV2Equivalent() throws Exception {
        assertTrue(error("{'network':{'classID':1048577}}").startsWith("linux.resources.network.classID: "));
        assertTrue(error("{'network':{'priorities':[{'name':'eth0','priority':1}]}}")
                .startsWith("linux.resources.network.priorities: "));
        assertEquals(List.of(), plan("{'network':{'classID':0,'priorities':[]}}"));
    }

    // ------------------------------------------------------------------ unified

    @Test
    void unifiedEntriesAreWrittenLastSoTheyWin() throws Exception {
        List<CgroupWrite> w = V2Resources.plan(res("{'memory':{'limit':100},'unified':{'memory.max':'200','memory.high':'150'}}"),
                dir);
        assertEquals(List.of("memory.max=100", "memory.max=200", "memory.high=150"), show(w));
        assertEquals("linux.resources.unified[\"memory.max\"]", w.get(1).reason());
    }

    @Test
    void unifiedMultiLineValuesAreWrittenLineByLine() throws Exception {
        assertEquals(List.of("io.max=259:0 rbps=2097152 wiops=120", "io.max=253:0 rbps=2097152 wiops=120"),
                plan("{'unified':{'io.max':'259:0 rbps=2097152 wiops=120\\n253:0 rbps=2097152 wiops=120\\n'}}"));
    }

    @Test
    void unifiedControllerMustBeAvailable() throws Exception {
        put(dir, "cgroup.controllers", "cpu memory pids\n");
        String e = error("{'unified':{'misc.max':'res_a 1'}}");
        assertTrue(e.startsWith("linux.resources.unified[\"misc.max\"]: cgroup controller misc is not available in "), e);
        assertTrue(e.endsWith("(available: cpu memory pids)"), e);
        // the core cgroup.* files need no controller
        assertEquals(List.of("cgroup.max.depth=3"), plan("{'unified':{'cgroup.max.depth':'3'}}"));
    }

    @Test
    void unifiedFileMustExist() {
        String e = error("{'unified':{'memory.bogus':'1'}}");
        assertTrue(e.startsWith("linux.resources.unified[\"memory.bogus\"]: "), e);
        assertTrue(e.endsWith("memory.bogus does not exist"), e);
    }

    @Test
    void unknownButExistingFilesAreWritten() throws Exception {
        // "configuration unknown to the runtime MUST still be written"
        put(dir, "memory.zswap.max", "max\n");
        assertEquals(List.of("memory.zswap.max=0"), plan("{'unified':{'memory.zswap.max':'0'}}"));
    }

    // ------------------------------------------------------------------ controllersFor

    @Test
    void controllersForEachGroupOfFields() {
        assertEquals(Set.of(), V2Resources.controllersFor(null));
        assertEquals(Set.of(), V2Resources.controllersFor(res("{'devices':[{'allow':false,'access':'rwm'}]}")));
        assertEquals(List.of("cpu", "cpuset", "memory", "io", "pids", "hugetlb", "rdma"),
                List.copyOf(V2Resources.controllersFor(res("{'cpu':{'shares':2,'cpus':'0'},'memory':{'limit':1},"
                        + "'blockIO':{'weight':100},'pids':{'limit':1},'hugepageLimits':[{'pageSize':'2MB','limit':1}],"
                        + "'rdma':{'m':{'hcaHandles':1}}}"))));
        assertEquals(Set.of("cpu"), V2Resources.controllersFor(res("{'cpu':{'idle':0}}")));
        assertEquals(Set.of("cpu"), V2Resources.controllersFor(res("{'cpu':{'burst':0}}")));
        assertEquals(Set.of("cpuset"), V2Resources.controllersFor(res("{'cpu':{'mems':'0'}}")));
        assertEquals(Set.of("io"), V2Resources.controllersFor(res("{'blockIO':{'throttleWriteIOPSDevice':"
                + "[{'major':8,'minor':0,'rate':1}]}}")));
        assertEquals(Set.of(), V2Resources.controllersFor(res("{'cpu':{'shares':0,'quota':0},'memory':{'limit':0}}")));
    }

    @Test
    void controllersForUnifiedKeys() {
        LinkedHashMap<String, String> u = new LinkedHashMap<>();
        u.put("misc.max", "x 1");
        u.put("memory.high", "1");
        u.put("cgroup.max.depth", "2");
        u.put("bad/key.x", "1");
        u.put("nodot", "1");
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(u);
        LinuxResources r = new LinuxResources(null, null, null, null, null, null, null, null, copy);
        assertEquals(List.of("misc", "memory"), List.copyOf(V2Resources.controllersFor(r)));
    }
}
