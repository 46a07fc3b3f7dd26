package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.CgroupTestSupport.content;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.res;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.LinuxResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drivers end to end against a fake cgroupfs: directories holding the files a real
 * cgroupfs would show, written through V1Manager and V2Manager, then read back.  A real
 * cgroupfs file keeps only the last value written, which is what these files show too.
 */
class FakeCgroupfsTest {
    @TempDir
    Path tmp;

    private final V2Resources.ProgramLoader realLoader = V2Resources.loader;

    @AfterEach
    void restoreLoader() {
        V2Resources.loader = realLoader;
    }

    private static final String FULL = "{'devices':[{'allow':false,'access':'rwm'},"
            + "{'allow':true,'type':'c','major':10,'minor':229,'access':'rwm'}],"
            + "'memory':{'limit':104857600,'swap':209715200,'reservation':52428800,'swappiness':10},"
            + "'cpu':{'shares':512,'quota':50000,'period':100000,'cpus':'0-1','mems':'0'},"
            + "'pids':{'limit':100},"
            + "'blockIO':{'weight':500,'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1048576}]},"
            + "'hugepageLimits':[{'pageSize':'2MB','limit':209715200}],"
            + "'network':{'classID':1048577,'priorities':[{'name':'eth0','priority':5}]},"
            + "'rdma':{'mlx4_0':{'hcaHandles':2,'hcaObjects':2000}}}";

    // ------------------------------------------------------------------ v1

    private static final Map<String, List<String>> V1_FILES = new LinkedHashMap<>();

    static {
        V1_FILES.put("cpu", List.of("cpu.shares", "cpu.cfs_quota_us", "cpu.cfs_period_us", "cpu.cfs_burst_us", "cpu.idle",
                "cpu.rt_runtime_us", "cpu.rt_period_us", "cpu.stat"));
        V1_FILES.put("cpuset", List.of("cpuset.cpus", "cpuset.mems"));
        V1_FILES.put("memory", List.of("memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.soft_limit_in_bytes",
                "memory.swappiness", "memory.oom_control", "memory.use_hierarchy", "memory.kmem.limit_in_bytes",
                "memory.kmem.tcp.limit_in_bytes"));
        V1_FILES.put("devices", List.of("devices.allow", "devices.deny", "devices.list"));
        V1_FILES.put("pids", List.of("pids.max", "pids.current"));
        V1_FILES.put("blkio", List.of("blkio.weight", "blkio.leaf_weight", "blkio.weight_device",
                "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device", "blkio.throttle.read_iops_device",
                "blkio.throttle.write_iops_device"));
        V1_FILES.put("hugetlb", List.of("hugetlb.2MB.limit_in_bytes", "hugetlb.2MB.rsvd.limit_in_bytes"));
        V1_FILES.put("net_cls", List.of("net_cls.classid"));
        V1_FILES.put("net_prio", List.of("net_prio.ifpriomap"));
        V1_FILES.put("rdma", List.of("rdma.max"));
        V1_FILES.put("freezer", List.of("freezer.state"));
    }

    /** A legacy host with one hierarchy per controller (except those left out), and the container's dirs. */
    private CgroupManager v1Manager(List<String> without) throws Exception {
        List<CgroupHost.V1Mount> mounts = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : V1_FILES.entrySet()) {
            if (without.contains(e.getKey())) {
                continue;
            }
            Path mount = Files.createDirectories(tmp.resolve("cgroup").resolve(e.getKey()));
            mounts.add(new CgroupHost.V1Mount(mount.toString(), "/", List.of(e.getKey()), null));
            Map<String, String> files = new LinkedHashMap<>();
            for (String f : e.getValue()) {
                files.put(f, "");
            }
            if (e.getKey().equals("devices")) {
                files.put("devices.list", "a *:* rwm\n"); // what a new devices cgroup shows: all allowed
            }
            files.put("cgroup.procs", "");
            tree(mount.resolve("jrun/c1"), files);
        }
        v1Host = new CgroupHost(CgroupHost.Mode.LEGACY, null, mounts, Map.of());
        return CgroupManager.forNewContainer(v1Host, "/jrun/c1", "c1");
    }

    private CgroupHost v1Host;

    private Path v1(String controller, String file) {
        return tmp.resolve("cgroup").resolve(controller).resolve("jrun/c1").resolve(file);
    }

    @Test
    void v1EveryFieldLandsInItsFile() throws Exception {
        CgroupManager m = v1Manager(List.of());
        LinuxResources r = res(FULL);
        m.create(r);
        m.apply(r);
        assertEquals("0-1", content(v1("cpuset", "cpuset.cpus")));
        assertEquals("0", content(v1("cpuset", "cpuset.mems")));
        assertEquals("a *:* rwm", content(v1("devices", "devices.deny")));
        assertEquals("c 136:* rwm", content(v1("devices", "devices.allow"))); // the last of the allow writes
        assertEquals("104857600", content(v1("memory", "memory.limit_in_bytes")));
        assertEquals("209715200", content(v1("memory", "memory.memsw.limit_in_bytes")));
        assertEquals("52428800", content(v1("memory", "memory.soft_limit_in_bytes")));
        assertEquals("10", content(v1("memory", "memory.swappiness")));
        assertEquals("", content(v1("memory", "memory.oom_control")));
        assertEquals("512", content(v1("cpu", "cpu.shares")));
        assertEquals("50000", content(v1("cpu", "cpu.cfs_quota_us")));
        assertEquals("100000", content(v1("cpu", "cpu.cfs_period_us")));
        assertEquals("100", content(v1("pids", "pids.max")));
        assertEquals("500", content(v1("blkio", "blkio.weight")));
        assertEquals("8:0 1048576", content(v1("blkio", "blkio.throttle.read_bps_device")));
        assertEquals("209715200", content(v1("hugetlb", "hugetlb.2MB.limit_in_bytes")));
        assertEquals("209715200", content(v1("hugetlb", "hugetlb.2MB.rsvd.limit_in_bytes")));
        assertEquals("1048577", content(v1("net_cls", "net_cls.classid")));
        assertEquals("eth0 5", content(v1("net_prio", "net_prio.ifpriomap")));
        assertEquals("mlx4_0 hca_handle=2 hca_object=2000", content(v1("rdma", "rdma.max")));
    }

    @Test
    void v1LimitForAnUnmountedControllerIsAnError() throws Exception {
        CgroupManager m = v1Manager(List.of("hugetlb"));
        CgroupException e = assertThrows(CgroupException.class,
                () -> m.apply(res("{'hugepageLimits':[{'pageSize':'2MB','limit':1}]}")));
        assertEquals("cgroup controller hugetlb is not mounted on this host; linux.resources.hugepageLimits[0] needs it",
                e.getMessage());
        // nothing asked of hugetlb: fine
        m.apply(res("{'pids':{'limit':5}}"));
        assertEquals("5", content(v1("pids", "pids.max")));
    }

    @Test
    void v1DeviceRulesNeedTheDevicesController() throws Exception {
        CgroupManager m = v1Manager(List.of("devices"));
        CgroupException e = assertThrows(CgroupException.class, () -> m.apply(null));
        assertEquals("cgroup controller devices is not mounted on this host; linux.resources.devices needs it", e.getMessage());
    }

    @Test
    void v1UnifiedIsRefusedBeforeAnythingIsWritten() throws Exception {
        CgroupManager m = v1Manager(List.of());
        LinuxResources r = res("{'pids':{'limit':5},'unified':{'pids.max':'7'}}");
        CgroupException e = assertThrows(CgroupException.class, () -> m.refuseUnsupported(r));
        assertEquals("invalid configuration: cannot use unified on cgroup v1", e.getMessage());
        e = assertThrows(CgroupException.class, () -> m.apply(r));
        assertEquals("invalid configuration: cannot use unified on cgroup v1", e.getMessage(), "update's way in");
        assertEquals("", content(v1("pids", "pids.max")));
        m.refuseUnsupported(res("{'pids':{'limit':5},'unified':{}}"));
    }

    /** Validation refuses such names; the drivers still never write outside the cgroup. */
    @Test
    void v1WritesStayInTheCgroup() throws Exception {
        CgroupManager m = v1Manager(List.of());
        CgroupException e = assertThrows(CgroupException.class,
                () -> m.apply(res("{'hugepageLimits':[{'pageSize':'/../../x','limit':1}]}")));
        assertEquals("linux.resources.hugepageLimits[0]: \"hugetlb./../../x.limit_in_bytes\" is not the name of a cgroup file",
                e.getMessage());
    }

    @Test
    void v1PlanWithTheLiveViewSkipsFilesTheKernelLacks() throws Exception {
        CgroupManager m = v1Manager(List.of());
        Files.delete(v1("hugetlb", "hugetlb.2MB.rsvd.limit_in_bytes"));
        Files.delete(v1("blkio", "blkio.weight"));
        Files.writeString(v1("memory", "memory.limit_in_bytes"), "9223372036854771712\n");
        List<String> plan = CgroupTestSupport.showNoDevices(V1Resources.plan(res(
                "{'hugepageLimits':[{'pageSize':'2MB','limit':1}],'blockIO':{'weight':100},"
                        + "'memory':{'limit':100,'swap':200}}"),
                V1Resources.Current.of(m.paths())));
        assertEquals(List.of("memory/memory.limit_in_bytes=100", "memory/memory.memsw.limit_in_bytes=200",
                "blkio/blkio.bfq.weight=100", "hugetlb/hugetlb.2MB.limit_in_bytes=1"), plan);
    }

    /** A cpuset hierarchy whose top has CPUs 0-3 and node 0, and the levels below it, all left empty. */
    private CgroupManager cpusetOnly(String path, String... levels) throws CgroupException {
        Path top = tree(tmp.resolve("cgroup/cpuset"), Map.of("cpuset.cpus", "0-3\n", "cpuset.mems", "0\n"));
        for (String level : levels) {
            tree(top.resolve(level), Map.of("cpuset.cpus", "\n", "cpuset.mems", "\n", "cgroup.procs", ""));
        }
        CgroupHost host = new CgroupHost(CgroupHost.Mode.LEGACY, null,
                List.of(new CgroupHost.V1Mount(top.toString(), "/", List.of("cpuset"), null)), Map.of());
        return CgroupManager.forNewContainer(host, path, "c1");
    }

    @Test
    void v1CpusetLevelsLeftEmptyInheritFromTheNearestAncestorThatHasThem() throws Exception {
        CgroupManager m = cpusetOnly("/pod/c1", "pod", "pod/c1");
        m.create(res("{'cpu':{'cpus':'2'}}"));
        Path top = tmp.resolve("cgroup/cpuset");
        assertEquals("0-3", content(top.resolve("pod/cpuset.cpus")), "the pod's parent, made by another, is filled in");
        assertEquals("0", content(top.resolve("pod/cpuset.mems")));
        assertEquals("2", content(top.resolve("pod/c1/cpuset.cpus")), "the config's own CPUs");
        assertEquals("0", content(top.resolve("pod/c1/cpuset.mems")), "what the config leaves out is inherited");
    }

    @Test
    void v1CpusetValuesALevelHasAreKeptAndPassedDown() throws Exception {
        CgroupManager m = cpusetOnly("/pod/c1", "pod", "pod/c1");
        Path top = tmp.resolve("cgroup/cpuset");
        Files.writeString(top.resolve("pod/cpuset.cpus"), "1");
        m.create(null);
        assertEquals("1", content(top.resolve("pod/cpuset.cpus")));
        assertEquals("1", content(top.resolve("pod/c1/cpuset.cpus")), "from the nearest level, not the top");
        assertEquals("0", content(top.resolve("pod/c1/cpuset.mems")));
    }

    @Test
    void v1ProcessesOfEveryHierarchyAndBelowCountOnce() throws Exception {
        CgroupManager m = v1Manager(List.of());
        Files.writeString(v1("memory", "cgroup.procs"), "4242\n");
        tree(v1("pids", "sub"), Map.of("cgroup.procs", "4242\n4343\n"));
        assertEquals(java.util.Set.of(4242, 4343), m.processesInAnyHierarchy());
        CgroupManager absent = CgroupManager.forNewContainer(v1Host, "/jrun/c2", "c2");
        assertEquals(java.util.Set.of(), absent.processesInAnyHierarchy());
    }

    @Test
    void v1FrozenBeforeCreateReadsTheCgroupOrTheAncestorItWouldInheritFrom() throws Exception {
        CgroupManager m = v1Manager(List.of());
        CgroupManager absent = CgroupManager.forNewContainer(v1Host, "/jrun/c2/deeper", "c2");
        Files.writeString(v1("freezer", "freezer.state"), "THAWED\n");
        assertFalse(m.frozenBeforeCreate());
        Files.writeString(v1("freezer", "freezer.state"), "FROZEN\n");
        assertTrue(m.frozenBeforeCreate());
        Files.writeString(v1("freezer", "freezer.state"), "FREEZING\n");
        assertTrue(m.frozenBeforeCreate());
        assertFalse(absent.frozenBeforeCreate(), "the hierarchy's root, which has no freezer.state, is never frozen");
        Path parent = tmp.resolve("cgroup/freezer/jrun");
        Files.writeString(parent.resolve("freezer.state"), "FROZEN\n");
        assertTrue(absent.frozenBeforeCreate(), "a new cgroup is born frozen under a frozen one");
        assertFalse(v1Manager(List.of("freezer")).frozenBeforeCreate(), "no freezer, nothing freezes");
    }

    // ------------------------------------------------------------------ v2

    private Path unified;

    private CgroupManager v2Manager(String available) throws Exception {
        unified = tmp.resolve("unified");
        Map<String, String> level = Map.of("cgroup.controllers", available + "\n", "cgroup.subtree_control", "");
        tree(unified, level);
        tree(unified.resolve("jrun"), level);
        Map<String, String> leaf = V2ResourcesTest.v2Files();
        leaf.put("cgroup.controllers", available + "\n");
        tree(unified.resolve("jrun/c1"), leaf);
        CgroupHost host = new CgroupHost(CgroupHost.Mode.UNIFIED, unified.toString(), List.of(), Map.of());
        return CgroupManager.forNewContainer(host, "/jrun/c1", "c1");
    }

    private Path v2(String file) {
        return unified.resolve("jrun/c1").resolve(file);
    }

    private static final String V2_FULL = "{'devices':[{'allow':false,'access':'rwm'},"
            + "{'allow':true,'type':'c','major':10,'minor':229,'access':'rwm'}],"
            + "'memory':{'limit':104857600,'swap':209715200,'reservation':52428800},"
            + "'cpu':{'shares':1024,'quota':50000,'period':100000,'burst':10000,'cpus':'0-1','mems':'0','idle':0},"
            + "'pids':{'limit':100},"
            + "'blockIO':{'weight':500,'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1048576}]},"
            + "'hugepageLimits':[{'pageSize':'2MB','limit':209715200}],"
            + "'rdma':{'mlx4_0':{'hcaHandles':2,'hcaObjects':2000}},"
            + "'unified':{'memory.high':'94371840','misc.max':'res_a 3'}}";

    @Test
    void v2CreateEnablesControllersAndApplyWritesEveryFile() throws Exception {
        List<String> loaded = new ArrayList<>();
        List<byte[]> programs = new ArrayList<>();
        V2Resources.loader = (insns, license, dir) -> {
            loaded.add(license + " " + dir);
            programs.add(insns);
        };
        CgroupManager m = v2Manager("cpuset cpu io memory hugetlb pids rdma misc");
        LinuxResources r = res(V2_FULL);
        m.create(r);
        assertEquals("+cpu +cpuset +memory +io +pids +hugetlb +rdma +misc", content(unified.resolve("cgroup.subtree_control")));
        assertEquals("+cpu +cpuset +memory +io +pids +hugetlb +rdma +misc",
                content(unified.resolve("jrun/cgroup.subtree_control")));
        m.apply(r);
        assertEquals("100", content(v2("pids.max")));
        assertEquals("104857600", content(v2("memory.swap.max")));
        assertEquals("104857600", content(v2("memory.max")));
        assertEquals("52428800", content(v2("memory.low")));
        assertEquals("94371840", content(v2("memory.high")));
        assertEquals("4950", content(v2("io.weight")));
        assertEquals("8:0 rbps=1048576", content(v2("io.max")));
        assertEquals("0", content(v2("cpu.idle")));
        assertEquals("100", content(v2("cpu.weight")));
        assertEquals("50000 100000", content(v2("cpu.max")));
        assertEquals("10000", content(v2("cpu.max.burst")));
        assertEquals("0-1", content(v2("cpuset.cpus")));
        assertEquals("0", content(v2("cpuset.mems")));
        assertEquals("209715200", content(v2("hugetlb.2MB.max")));
        assertEquals("209715200", content(v2("hugetlb.2MB.rsvd.max")));
        assertEquals("mlx4_0 hca_handle=2 hca_object=2000", content(v2("rdma.max")));
        assertEquals("res_a 3", content(v2("misc.max")));
        assertEquals(List.of("Apache " + unified.resolve("jrun/c1")), loaded);
        assertArrayEquals(DeviceFilter.generate(DeviceAllowList.forContainer(r.devices())), programs.get(0));
    }

    @Test
    void v2FrozenBeforeCreateReadsTheFreezeRequestOrTheEvents() throws Exception {
        CgroupManager m = v2Manager("pids memory");
        Files.writeString(v2("cgroup.events"), "populated 0\nfrozen 0\n");
        assertFalse(m.frozenBeforeCreate());
        Files.writeString(v2("cgroup.freeze"), "1\n");
        assertTrue(m.frozenBeforeCreate(), "asked to freeze, even before its processes have stopped");
        Files.writeString(v2("cgroup.freeze"), "0\n");
        Files.writeString(v2("cgroup.events"), "populated 0\nfrozen 1\n");
        assertTrue(m.frozenBeforeCreate(), "held by a frozen ancestor");
        CgroupManager absent = CgroupManager.forNewContainer(
                new CgroupHost(CgroupHost.Mode.UNIFIED, unified.toString(), List.of(), Map.of()), "/jrun/c1/deeper", "c1");
        assertTrue(absent.frozenBeforeCreate(), "a new cgroup is born frozen under a frozen one");
        Files.writeString(v2("cgroup.events"), "populated 0\nfrozen 0\n");
        assertFalse(absent.frozenBeforeCreate());
    }

    @Test
    void v2ControllerMissingOnTheHostFailsCreate() throws Exception {
        CgroupManager m = v2Manager("cpu memory pids");
        CgroupException e = assertThrows(CgroupException.class, () -> m.create(res("{'unified':{'misc.max':'a 1'}}")));
        assertTrue(e.getMessage().startsWith("cgroup controller misc is not available in "), e.getMessage());
    }

    @Test
    void v2UnifiedFileThatDoesNotExistFailsBeforeAnyWrite() throws Exception {
        V2Resources.loader = (insns, license, dir) -> {
            throw new AssertionError("no program may be loaded");
        };
        CgroupManager m = v2Manager("cpuset cpu io memory hugetlb pids rdma misc");
        CgroupException e = assertThrows(CgroupException.class,
                () -> m.apply(res("{'pids':{'limit':9},'unified':{'memory.nothing':'1'}}")));
        assertTrue(e.getMessage().startsWith("linux.resources.unified[\"memory.nothing\"]: "), e.getMessage());
        assertEquals("max\n", content(v2("pids.max")));
        assertFalse(Files.exists(v2("memory.nothing")));
    }

    /** Validation refuses such keys; the drivers still never write outside the cgroup. */
    @Test
    void v2WritesStayInTheCgroup() throws Exception {
        V2Resources.loader = (insns, license, dir) -> {
            throw new AssertionError("no program may be loaded");
        };
        CgroupManager m = v2Manager("cpuset cpu io memory hugetlb pids rdma misc");
        Files.writeString(unified.resolve("jrun/memory.max"), "max\n");
        CgroupException e = assertThrows(CgroupException.class,
                () -> m.apply(res("{'pids':{'limit':9},'unified':{'../memory.max':'1'}}")));
        assertEquals("linux.resources.unified[\"../memory.max\"]: \"../memory.max\" is not the name of a cgroup file",
                e.getMessage());
        assertEquals("max\n", content(unified.resolve("jrun/memory.max")));
        assertEquals("max\n", content(v2("pids.max")));
    }

    @Test
    void v2DeviceFilterFailureIsAnError() throws Exception {
        V2Resources.loader = (insns, license, dir) -> {
            throw new dev.jrun.runtime.linux.NativeException("bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI)", 1);
        };
        CgroupManager m = v2Manager("cpuset cpu io memory hugetlb pids rdma misc");
        if (V2Resources.inUserNamespace()) {
            m.apply(null); // ignored there, as runc ignores it
            return;
        }
        CgroupException e = assertThrows(CgroupException.class, () -> m.apply(null));
        assertEquals("load the device filter into " + unified.resolve("jrun/c1")
                + ": bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI): operation not permitted", e.getMessage());
    }

    @Test
    void v2StatsThroughTheManager() throws Exception {
        CgroupManager m = v2Manager("cpu memory pids");
        Files.writeString(v2("pids.current"), "3\n");
        Files.writeString(v2("pids.max"), "max\n");
        assertEquals(new CgroupStats.Pids(3, 0), m.stats().pids());
        assertEquals(Map.of("", unified.resolve("jrun/c1").toString()), m.paths());
        assertEquals(m.paths(), CgroupManager.fromPaths(m.paths()).paths());
    }
}
