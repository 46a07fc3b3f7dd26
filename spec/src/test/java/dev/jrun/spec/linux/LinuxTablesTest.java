package dev.jrun.spec.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinuxTablesTest {

    @ParameterizedTest
    @CsvSource({
        "CAP_CHOWN, 0", "CAP_DAC_OVERRIDE, 1", "CAP_KILL, 5", "CAP_SETPCAP, 8", "CAP_NET_BIND_SERVICE, 10",
        "CAP_NET_RAW, 13", "CAP_SYS_CHROOT, 18", "CAP_SYS_PTRACE, 19", "CAP_SYS_ADMIN, 21",
        "CAP_MKNOD, 27", "CAP_AUDIT_WRITE, 29", "CAP_SETFCAP, 31", "CAP_MAC_ADMIN, 33",
        "CAP_AUDIT_READ, 37", "CAP_PERFMON, 38", "CAP_BPF, 39", "CAP_CHECKPOINT_RESTORE, 40",
    })
    void capabilityNumbersAreTheKernels(String name, int number) {
        assertEquals(number, Capabilities.number(name));
        assertEquals(name, Capabilities.name(number));
    }

    @Test
    void capabilityTableIsComplete() {
        assertEquals(40, Capabilities.LAST);
        assertEquals(41, Capabilities.all().size());
        assertEquals(-1, Capabilities.number("CAP_FOO"));
        assertEquals(-1, Capabilities.number("cap_chown"));
        assertEquals(-1, Capabilities.number(null));
        assertNull(Capabilities.name(41));
        assertNull(Capabilities.name(-1));
    }

    @ParameterizedTest
    @CsvSource({
        "RLIMIT_CPU, 0", "RLIMIT_FSIZE, 1", "RLIMIT_DATA, 2", "RLIMIT_STACK, 3", "RLIMIT_CORE, 4",
        "RLIMIT_RSS, 5", "RLIMIT_NPROC, 6", "RLIMIT_NOFILE, 7", "RLIMIT_MEMLOCK, 8", "RLIMIT_AS, 9",
        "RLIMIT_LOCKS, 10", "RLIMIT_SIGPENDING, 11", "RLIMIT_MSGQUEUE, 12", "RLIMIT_NICE, 13",
        "RLIMIT_RTPRIO, 14", "RLIMIT_RTTIME, 15",
    })
    void rlimitNumbersAreTheKernels(String name, int number) {
        assertEquals(number, Rlimits.number(name));
        assertEquals(name, Rlimits.name(number));
    }

    @Test
    void rlimitTableIsComplete() {
        assertEquals(16, Rlimits.all().size());
        assertEquals(-1, Rlimits.number("RLIMIT_FOO"));
        assertNull(Rlimits.name(16));
    }

    @Test
    void mountOptions() {
        assertTrue(MountOptions.isKnown("rbind"));
        assertTrue(MountOptions.isKnown("ridmap"));
        assertTrue(MountOptions.isKnown("tmpcopyup"));
        assertFalse(MountOptions.isKnown("mode=755"));
        assertTrue(MountOptions.isBind(List.of("ro", "bind")));
        assertFalse(MountOptions.isBind(List.of("ro")));
        assertFalse(MountOptions.isBind(null));
        List<String> all = MountOptions.all();
        assertEquals(all.stream().sorted().toList(), all);
    }

    @Test
    void mountOptionsParseAsRuncParsesThem() {
        MountOptions.Parsed p = MountOptions.parse(List.of("nosuid", "ro", "rw", "rbind", "rro", "rnoatime", "shared",
                "rslave", "tmpcopyup", "mode=755", "ridmap"));
        assertEquals(MountOptions.MS_NOSUID | MountOptions.MS_BIND | MountOptions.MS_REC, p.flags());
        assertEquals(MountOptions.MS_RDONLY, p.clearedFlags(), "the later rw clears ro");
        assertTrue(p.recursiveBind());
        assertEquals(MountOptions.ATTR_RDONLY | MountOptions.ATTR_NOATIME, p.recursiveSet());
        assertEquals(MountOptions.ATTR_ATIME_MASK, p.recursiveClear(), "an atime attribute replaces the field");
        assertEquals(List.of(MountOptions.MS_SHARED, MountOptions.MS_SLAVE | MountOptions.MS_REC), p.propagations());
        assertTrue(p.copyUp());
        assertTrue(p.idMap() && p.recursiveIdMap());
        assertEquals(List.of("mode=755"), p.data());
        assertEquals(MountOptions.MS_PRIVATE | MountOptions.MS_REC, MountOptions.propagationFlags("rprivate"));
        assertNull(MountOptions.propagationFlags("ro"));
    }

    @Test
    void namespaceTypesJoinUserFirstAndMountLast() {
        assertEquals(NamespaceType.USER, NamespaceType.values()[0]);
        assertEquals(NamespaceType.MOUNT, NamespaceType.values()[NamespaceType.values().length - 1]);
        assertEquals(0x20000L, NamespaceType.flag("mount"));
        assertEquals("ipc, mount", NamespaceType.names(0x08000000L | 0x20000L));
        assertEquals(List.of("cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"), NamespaceType.types());
        assertNull(NamespaceType.of("net"), "config.md calls it network");
    }

    @Test
    void cpuListsParse() {
        BitSet expected = new BitSet();
        expected.set(0, 4);
        expected.set(7);
        assertEquals(expected, CpuList.parse("0-3,7"));
        assertEquals(expected, CpuList.parse(" 0-3 , 7 ,"));
        assertEquals(new BitSet(), CpuList.parse(""));
        assertEquals(1, CpuList.parse("65536").cardinality());
    }

    @Test
    void cpuAffinitiesBecomeCpuSets() {
        byte[] mask = CpuList.mask("0-3,7,1023");
        assertEquals(CpuList.AFFINITY_CPUS / 8, mask.length);
        assertEquals((byte) 0x8f, mask[0]);
        assertEquals((byte) 0x80, mask[mask.length - 1]);
        assertEquals(null, CpuList.affinityProblem("0-1023"));
        assertEquals("CPU 1024 is beyond 1023", CpuList.affinityProblem("0,1024"));
        assertEquals("invalid range \"3-1\" in \"3-1\"", CpuList.affinityProblem("3-1"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "3-1 | invalid range \"3-1\" in \"3-1\"",
        "a | invalid number \"a\" in \"a\"",
        "1-a | invalid number \"a\" in \"1-a\"",
        "-1 | invalid number \"\" in \"-1\"",
        "1-2-3 | invalid number \"2-3\" in \"1-2-3\"",
        "65537 | id 65537 in \"65537\" is above 65536",
        "',' | no members in \",\"",
    })
    void badCpuListsAreExplained(String list, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> CpuList.parse(list)).getMessage());
        assertEquals(message, CpuList.problem(list));
    }
}
