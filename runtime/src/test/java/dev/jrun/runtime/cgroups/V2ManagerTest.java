package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.CgroupTestSupport.content;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.res;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pure cgroup v2 guest (CgroupV2GuestTest) found, pinned against a fake cgroupfs:
 * controller delegation at create and updates of limits the container was created without.
 */
class V2ManagerTest {
    @TempDir
    Path tmp;

    private Path root;

    /** root and /jrun delegate nothing yet; /jrun/c1 is the container's cgroup. */
    private CgroupManager manager(String available, Map<String, String> leaf) {
        root = tmp.resolve("unified");
        Map<String, String> level = Map.of("cgroup.controllers", available + "\n", "cgroup.subtree_control", "\n");
        tree(root, level);
        tree(root.resolve("jrun"), level);
        tree(root.resolve("jrun/c1"), leaf);
        CgroupHost host = new CgroupHost(CgroupHost.Mode.UNIFIED, root.toString(), List.of(), Map.of());
        try {
            return CgroupManager.forNewContainer(host, "/jrun/c1", "c1");
        } catch (CgroupException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void createEnablesWhatTheLimitsNeedThenEveryOtherController() throws Exception {
        CgroupManager m = manager("cpu io memory pids", Map.of("cgroup.controllers", "\n"));
        m.create(res("{'pids':{'limit':10}}"));
        // a fake file keeps the last write: the needed controller went first, the rest after it
        assertEquals("+cpu +io +memory", content(root.resolve("cgroup.subtree_control")));
        assertEquals("+cpu +io +memory", content(root.resolve("jrun/cgroup.subtree_control")));
    }

    @Test
    void createNamesTheFieldThatNeedsAnUnavailableController() {
        CgroupManager m = manager("cpu io memory pids", Map.of("cgroup.controllers", "\n"));
        CgroupException e = assertThrows(CgroupException.class,
                () -> m.create(res("{'unified':{'pids.max':'4','rdma.max':'mlx4_0 hca_handle=2'}}")));
        assertEquals("cgroup controller rdma is not available in " + root + " (available: cpu io memory pids); "
                + "linux.resources.unified[\"rdma.max\"] needs it", e.getMessage());
        CgroupException cpus = assertThrows(CgroupException.class, () -> m.create(res("{'cpu':{'cpus':'0'}}")));
        assertEquals("cgroup controller cpuset is not available in " + root + " (available: cpu io memory pids); "
                + "linux.resources.cpu.cpus needs it", cpus.getMessage());
    }

    @Test
    void updateOfAControllerTheCgroupLacksFailsBeforeAnyWrite() {
        CgroupManager m = manager("io memory pids", Map.of("cgroup.controllers", "memory pids\n", "pids.max", "10\n",
                "memory.max", "max\n"));
        CgroupException e = assertThrows(CgroupException.class,
                () -> m.update(res("{'pids':{'limit':77},'cpu':{'shares':512}}")));
        assertEquals("linux.resources.cpu.shares: " + root.resolve("jrun/c1/cpu.weight") + " does not exist: the cpu"
                + " controller is not enabled for this cgroup (enabled: memory pids)", e.getMessage());
        assertEquals("10\n", content(root.resolve("jrun/c1/pids.max")), "nothing was written");
        // the controller is there but the kernel has no such file (no swap accounting)
        CgroupException swap = assertThrows(CgroupException.class,
                () -> m.update(res("{'memory':{'limit':1048576,'swap':2097152}}")));
        assertEquals("linux.resources.memory.swap: " + root.resolve("jrun/c1/memory.swap.max")
                + " does not exist: this kernel does not provide it", swap.getMessage());
        assertEquals("max\n", content(root.resolve("jrun/c1/memory.max")));
    }

    /** runtime.md: delete removes what create made, the parents of a nested cgroupsPath too, and only those. */
    @Test
    void theParentsACreateMadeGoWhenEmptyAndOnlyThose() throws Exception {
        root = tmp.resolve("unified");
        tree(root, Map.of("cgroup.controllers", "\n", "cgroup.subtree_control", "\n"));
        tree(root.resolve("pods"), Map.of());
        CgroupHost host = new CgroupHost(CgroupHost.Mode.UNIFIED, root.toString(), List.of(), Map.of());
        CgroupManager first = CgroupManager.forNewContainer(host, "/pods/a/b/c1", "c1");
        CgroupManager.NewDirs made = first.newDirs();
        assertEquals(Map.of("", root.resolve("pods/a/b/c1").toString()), made.cgroups());
        assertEquals(Map.of("", root.resolve("pods/a").toString()), made.parents(), "the topmost missing one");
        java.nio.file.Files.createDirectories(root.resolve("pods/a/b/c1"));
        java.nio.file.Files.createDirectories(root.resolve("pods/a/b/c2")); // a sibling another create made

        java.nio.file.Files.delete(root.resolve("pods/a/b/c1"));
        first.removeParents(made.parents());
        assertTrue(java.nio.file.Files.isDirectory(root.resolve("pods/a/b/c2")), "the sibling's parents stay");

        java.nio.file.Files.delete(root.resolve("pods/a/b/c2"));
        first.removeParents(made.parents());
        assertFalse(java.nio.file.Files.exists(root.resolve("pods/a")), "the parents it made are gone");
        assertTrue(java.nio.file.Files.isDirectory(root.resolve("pods")), "the one that existed before stays");
    }
}
