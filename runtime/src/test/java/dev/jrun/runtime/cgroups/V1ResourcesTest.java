package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.CgroupTestSupport.current;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.res;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.show;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.showNoDevices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class V1ResourcesTest {

    private static List<String> plan(String json) throws CgroupException {
        return showNoDevices(V1Resources.plan(res(json)));
    }

    private static List<String> plan(String json, V1Resources.Current cur) throws CgroupException {
        return showNoDevices(V1Resources.plan(res(json), cur));
    }

    private static String error(String json) {
        return assertThrows(CgroupException.class, () -> V1Resources.plan(res(json))).getMessage();
    }

    private static final List<String> DEFAULT_DEVICES = List.of(
            "devices/devices.deny=a *:* rwm",
            "devices/devices.allow=b *:* m",
            "devices/devices.allow=c *:* m",
            "devices/devices.allow=c 1:3 rwm",
            "devices/devices.allow=c 1:5 rwm",
            "devices/devices.allow=c 1:7 rwm",
            "devices/devices.allow=c 1:8 rwm",
            "devices/devices.allow=c 1:9 rwm",
            "devices/devices.allow=c 5:0 rwm",
            "devices/devices.allow=c 5:2 rwm",
            "devices/devices.allow=c 10:200 rwm",
            "devices/devices.allow=c 136:* rwm");

    // ------------------------------------------------------------------ memory

    @Test
    void memoryLimitAlone() throws Exception {
        assertEquals(List.of("memory/memory.limit_in_bytes=1048576"), plan("{'memory':{'limit':1048576}}"));
    }

    @Test
    void memoryAndSwapWithUnknownCurrentLimitUseTheOrderThatAlwaysWorks() throws Exception {
        assertEquals(List.of(
                "memory/memory.memsw.limit_in_bytes=-1",
                "memory/memory.limit_in_bytes=104857600",
                "memory/memory.memsw.limit_in_bytes=209715200"),
                plan("{'memory':{'limit':104857600,'swap':209715200}}"));
    }

    @Test
    void memoryAndSwapRaisedAboveTheCurrentLimitWriteSwapFirst() throws Exception {
        var cur = current(Map.of("memory/memory.limit_in_bytes", "52428800"), List.of());
        assertEquals(List.of(
                "memory/memory.memsw.limit_in_bytes=209715200",
                "memory/memory.limit_in_bytes=104857600"),
                plan("{'memory':{'limit':104857600,'swap':209715200}}", cur));
    }

    @Test
    void memoryAndSwapLoweredBelowTheCurrentLimitWriteMemoryFirst() throws Exception {
        var cur = current(Map.of("memory/memory.limit_in_bytes", "314572800"), List.of());
        assertEquals(List.of(
                "memory/memory.limit_in_bytes=104857600",
                "memory/memory.memsw.limit_in_bytes=209715200"),
                plan("{'memory':{'limit':104857600,'swap':209715200}}", cur));
        // a fresh cgroup shows the huge "unlimited" number: also memory first
        var fresh = current(Map.of("memory/memory.limit_in_bytes", "9223372036854771712"), List.of());
        assertEquals(List.of(
                "memory/memory.limit_in_bytes=104857600",
                "memory/memory.memsw.limit_in_bytes=209715200"),
                plan("{'memory':{'limit':104857600,'swap':209715200}}", fresh));
    }

    @Test
    void unlimitedSwapIsWrittenBeforeTheMemoryLimit() throws Exception {
        assertEquals(List.of("memory/memory.memsw.limit_in_bytes=-1", "memory/memory.limit_in_bytes=104857600"),
                plan("{'memory':{'limit':104857600,'swap':-1}}"));
    }

    @Test
    void unlimitedMemoryWithSwapUnsetAlsoLiftsSwapWhereSwapIsAccounted() throws Exception {
        assertEquals(List.of("memory/memory.memsw.limit_in_bytes=-1", "memory/memory.limit_in_bytes=-1"),
                plan("{'memory':{'limit':-1}}"));
        var noSwap = current(Map.of(), List.of("memory/memory.memsw.limit_in_bytes"));
        assertEquals(List.of("memory/memory.limit_in_bytes=-1"), plan("{'memory':{'limit':-1}}", noSwap));
        List<CgroupWrite> w = V1Resources.plan(res("{'memory':{'limit':-1}}"));
        assertEquals("linux.resources.memory.limit", w.get(w.size() - 2).reason());
    }

    @Test
    void swapAlone() throws Exception {
        assertEquals(List.of("memory/memory.memsw.limit_in_bytes=209715200"), plan("{'memory':{'swap':209715200}}"));
    }

    @Test
    void reservationOomSwappinessHierarchy() throws Exception {
        assertEquals(List.of(
                "memory/memory.soft_limit_in_bytes=52428800",
                "memory/memory.oom_control=1",
                "memory/memory.swappiness=60",
                "memory/memory.use_hierarchy=1"),
                plan("{'memory':{'reservation':52428800,'disableOOMKiller':true,'swappiness':60,'useHierarchy':true}}"));
        assertEquals(List.of("memory/memory.use_hierarchy=0"), plan("{'memory':{'disableOOMKiller':false,'useHierarchy':false}}"));
        assertEquals(List.of("memory/memory.swappiness=0"), plan("{'memory':{'swappiness':0}}"));
    }

    @Test
    void dockersUnsetSwappinessIsIgnored() throws Exception {
        assertEquals(List.of(), plan("{'memory':{'swappiness':18446744073709551615}}"));
    }

    @Test
    void kernelMemoryLimits() throws Exception {
        assertEquals(List.of(
                "memory/memory.kmem.limit_in_bytes=104857600",
                "memory/memory.kmem.tcp.limit_in_bytes=1048576"),
                plan("{'memory':{'kernel':104857600,'kernelTCP':1048576}}"));
        // -1 (the spec's example) is what a new cgroup has: nothing to write ...
        assertEquals(List.of(), plan("{'memory':{'kernel':-1,'kernelTCP':-1}}"));
        // ... unless the cgroup holds a lower limit
        var limited = current(Map.of("memory/memory.kmem.limit_in_bytes", "104857600",
                "memory/memory.kmem.tcp.limit_in_bytes", "9223372036854771712"), List.of());
        assertEquals(List.of("memory/memory.kmem.limit_in_bytes=-1"),
                plan("{'memory':{'kernel':-1,'kernelTCP':-1}}", limited));
    }

    // ------------------------------------------------------------------ cpu

    @Test
    void cpuShares() throws Exception {
        assertEquals(List.of("cpu/cpu.shares=512"), plan("{'cpu':{'shares':512}}"));
        assertEquals(List.of(), plan("{'cpu':{'shares':0}}"));
    }

    @Test
    void quotaOrPeriodAlone() throws Exception {
        assertEquals(List.of("cpu/cpu.cfs_quota_us=50000"), plan("{'cpu':{'quota':50000}}"));
        assertEquals(List.of("cpu/cpu.cfs_period_us=100000"), plan("{'cpu':{'period':100000}}"));
        assertEquals(List.of("cpu/cpu.cfs_quota_us=-1"), plan("{'cpu':{'quota':-1}}"));
    }

    @Test
    void quotaWithPeriodLiftsTheQuotaFirst() throws Exception {
        assertEquals(List.of(
                "cpu/cpu.cfs_quota_us=-1",
                "cpu/cpu.cfs_period_us=250000",
                "cpu/cpu.cfs_quota_us=50000"),
                plan("{'cpu':{'quota':50000,'period':250000}}"));
        // a cgroup known to have no quota needs no lifting
        var noQuota = current(Map.of("cpu/cpu.cfs_quota_us", "-1"), List.of());
        assertEquals(List.of("cpu/cpu.cfs_period_us=250000", "cpu/cpu.cfs_quota_us=50000"),
                plan("{'cpu':{'quota':50000,'period':250000}}", noQuota));
        // no final quota write when the quota is -1
        assertEquals(List.of("cpu/cpu.cfs_quota_us=-1", "cpu/cpu.cfs_period_us=250000"),
                plan("{'cpu':{'quota':-1,'period':250000}}"));
    }

    @Test
    void burst() throws Exception {
        assertEquals(List.of(
                "cpu/cpu.cfs_quota_us=-1",
                "cpu/cpu.cfs_period_us=100000",
                "cpu/cpu.cfs_burst_us=20000",
                "cpu/cpu.cfs_quota_us=50000"),
                plan("{'cpu':{'quota':50000,'period':100000,'burst':20000}}"));
        assertEquals(List.of("cpu/cpu.cfs_burst_us=20000"), plan("{'cpu':{'burst':20000}}"));
        var noBurst = current(Map.of(), List.of("cpu/cpu.cfs_burst_us"));
        assertEquals(List.of(), plan("{'cpu':{'burst':0}}", noBurst));
        CgroupException e = assertThrows(CgroupException.class,
                () -> V1Resources.plan(res("{'cpu':{'burst':1000}}"), noBurst));
        assertTrue(e.getMessage().startsWith("linux.resources.cpu.burst: this kernel has no cpu.cfs_burst_us"));
    }

    @Test
    void idle() throws Exception {
        assertEquals(List.of("cpu/cpu.idle=1"), plan("{'cpu':{'idle':1}}"));
        assertEquals(List.of("cpu/cpu.idle=0"), plan("{'cpu':{'idle':0}}"));
    }

    @Test
    void realtimePeriodFirstByDefault() throws Exception {
        assertEquals(List.of("cpu/cpu.rt_period_us=1000000", "cpu/cpu.rt_runtime_us=950000"),
                plan("{'cpu':{'realtimeRuntime':950000,'realtimePeriod':1000000}}"));
        assertEquals(List.of("cpu/cpu.rt_runtime_us=-1"), plan("{'cpu':{'realtimeRuntime':-1}}"));
    }

    @Test
    void realtimeRuntimeFirstWhenTheNewPeriodIsBelowTheCurrentRuntime() throws Exception {
        var cur = current(Map.of("cpu/cpu.rt_runtime_us", "950000", "cpu/cpu.rt_period_us", "1000000"), List.of());
        assertEquals(List.of("cpu/cpu.rt_runtime_us=400000", "cpu/cpu.rt_period_us=500000"),
                plan("{'cpu':{'realtimeRuntime':400000,'realtimePeriod':500000}}", cur));
        // raising both: the period first keeps the intermediate ratio low
        var low = current(Map.of("cpu/cpu.rt_runtime_us", "100000", "cpu/cpu.rt_period_us", "1000000"), List.of());
        assertEquals(List.of("cpu/cpu.rt_period_us=2000000", "cpu/cpu.rt_runtime_us=400000"),
                plan("{'cpu':{'realtimeRuntime':400000,'realtimePeriod':2000000}}", low));
    }

    @Test
    void cpusetComesFirst() throws Exception {
        List<String> all = show(V1Resources.plan(res("{'cpu':{'cpus':'0-3,7','mems':'0','shares':100}}")));
        assertEquals(List.of("cpuset/cpuset.cpus=0-3,7", "cpuset/cpuset.mems=0"), all.subList(0, 2));
        assertEquals("cpu/cpu.shares=100", all.get(all.size() - 1));
    }

    // ------------------------------------------------------------------ pids

    @Test
    void pids() throws Exception {
        assertEquals(List.of("pids/pids.max=100"), plan("{'pids':{'limit':100}}"));
        assertEquals(List.of("pids/pids.max=1"), plan("{'pids':{'limit':0}}"));
        assertEquals(List.of("pids/pids.max=max"), plan("{'pids':{'limit':-1}}"));
        assertEquals(List.of("pids/pids.max=max"), plan("{'pids':{'limit':-7}}"));
        assertEquals(List.of(), plan("{'pids':{}}"));
    }

    // ------------------------------------------------------------------ blkio

    @Test
    void blkioWeightsAndThrottles() throws Exception {
        assertEquals(List.of(
                "blkio/blkio.weight=500",
                "blkio/blkio.leaf_weight=300",
                "blkio/blkio.weight_device=8:0 600",
                "blkio/blkio.leaf_weight_device=8:0 200",
                "blkio/blkio.weight_device=8:16 700",
                "blkio/blkio.throttle.read_bps_device=8:0 1048576",
                "blkio/blkio.throttle.write_bps_device=8:16 2097152",
                "blkio/blkio.throttle.read_iops_device=8:0 100",
                "blkio/blkio.throttle.write_iops_device=8:0 0"),
                plan("{'blockIO':{'weight':500,'leafWeight':300,"
                        + "'weightDevice':[{'major':8,'minor':0,'weight':600,'leafWeight':200},{'major':8,'minor':16,'weight':700}],"
                        + "'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1048576}],"
                        + "'throttleWriteBpsDevice':[{'major':8,'minor':16,'rate':2097152}],"
                        + "'throttleReadIOPSDevice':[{'major':8,'minor':0,'rate':100}],"
                        + "'throttleWriteIOPSDevice':[{'major':8,'minor':0,'rate':0}]}}"));
    }

    @Test
    void blkioUsesBfqFilesWhereCfqIsGone() throws Exception {
        var bfq = current(Map.of(), List.of("blkio/blkio.weight"));
        assertEquals(List.of("blkio/blkio.bfq.weight=5", "blkio/blkio.bfq.weight_device=8:0 600"),
                plan("{'blockIO':{'weight':5,'weightDevice':[{'major':8,'minor':0,'weight':600}]}}", bfq));
    }

    // ------------------------------------------------------------------ hugetlb

    @Test
    void hugetlbLimitsAndReservations() throws Exception {
        assertEquals(List.of(
                "hugetlb/hugetlb.2MB.limit_in_bytes=209715200",
                "hugetlb/hugetlb.2MB.rsvd.limit_in_bytes=209715200",
                "hugetlb/hugetlb.1GB.limit_in_bytes=18446744073709551615",
                "hugetlb/hugetlb.1GB.rsvd.limit_in_bytes=18446744073709551615"),
                plan("{'hugepageLimits':[{'pageSize':'2MB','limit':209715200},{'pageSize':'1GB','limit':18446744073709551615}]}"));
        var noRsvd = current(Map.of(), List.of("hugetlb/hugetlb.2MB.rsvd.limit_in_bytes"));
        assertEquals(List.of("hugetlb/hugetlb.2MB.limit_in_bytes=209715200", "hugetlb/hugetlb.1GB.limit_in_bytes=1073741824"),
                plan("{'hugepageLimits':[{'pageSize':'2MB','limit':209715200},{'pageSize':'1GB','limit':1073741824}]}",
                        noRsvd));
    }

    // ------------------------------------------------------------------ network, rdma

    @Test
    void network() throws Exception {
        assertEquals(List.of(
                "net_cls/net_cls.classid=1048577",
                "net_prio/net_prio.ifpriomap=eth0 500",
                "net_prio/net_prio.ifpriomap=eth1 1000"),
                plan("{'network':{'classID':1048577,'priorities':[{'name':'eth0','priority':500},{'name':'eth1','priority':1000}]}}"));
    }

    @Test
    void rdma() throws Exception {
        assertEquals(List.of(
                "rdma/rdma.max=mlx5_1 hca_handle=3 hca_object=10000",
                "rdma/rdma.max=mlx4_0 hca_object=1000",
                "rdma/rdma.max=rxe3 hca_handle=2"),
                plan("{'rdma':{'mlx5_1':{'hcaHandles':3,'hcaObjects':10000},'mlx4_0':{'hcaObjects':1000},"
                        + "'rxe3':{'hcaHandles':2}}}"));
    }

    // ------------------------------------------------------------------ unified, order, reasons

    @Test
    void unifiedIsRefusedOnV1() throws Exception {
        assertEquals("invalid configuration: cannot use unified on cgroup v1",
                error("{'unified':{'memory.high':'1000'}}"));
        assertEquals(List.of(), plan("{'unified':{}}"));
    }

    @Test
    void noResourcesStillGetsTheDefaultDeviceRules() throws Exception {
        assertEquals(DEFAULT_DEVICES, show(V1Resources.plan(null)));
        assertEquals(DEFAULT_DEVICES, show(V1Resources.plan(res("{}"))));
    }

    @Test
    void controllersAreWrittenInRuncsOrder() throws Exception {
        List<CgroupWrite> w = V1Resources.plan(res("{'rdma':{'m':{'hcaHandles':1}},'network':{'classID':1,"
                + "'priorities':[{'name':'lo','priority':1}]},'hugepageLimits':[{'pageSize':'2MB','limit':1}],"
                + "'blockIO':{'weight':100},'pids':{'limit':5},'cpu':{'shares':100,'cpus':'0'},'memory':{'limit':4096}}"));
        List<String> order = new ArrayList<>();
        for (CgroupWrite x : w) {
            if (order.isEmpty() || !order.get(order.size() - 1).equals(x.controller())) {
                order.add(x.controller());
            }
        }
        assertEquals(List.of("cpuset", "devices", "memory", "cpu", "pids", "blkio", "hugetlb", "net_cls", "net_prio", "rdma"),
                order);
    }

    @Test
    void everyWriteNamesTheFieldThatAskedForIt() throws Exception {
        List<CgroupWrite> w = V1Resources.plan(res("{'memory':{'limit':4096,'swap':8192},'cpu':{'quota':1000,'period':2000},"
                + "'hugepageLimits':[{'pageSize':'2MB','limit':1}],'devices':[{'allow':false,'access':'rwm'}]}"));
        for (CgroupWrite x : w) {
            assertTrue(x.reason().startsWith("linux.resources."), x.toString());
        }
        assertEquals("linux.resources.devices", w.get(0).reason());
        assertEquals(List.of("linux.resources.memory.swap", "linux.resources.memory.limit", "linux.resources.memory.swap",
                "linux.resources.cpu.quota", "linux.resources.cpu.period", "linux.resources.cpu.quota",
                "linux.resources.hugepageLimits[0]", "linux.resources.hugepageLimits[0]"),
                w.stream().filter(x -> !x.controller().equals("devices")).map(CgroupWrite::reason).toList());
    }
}
