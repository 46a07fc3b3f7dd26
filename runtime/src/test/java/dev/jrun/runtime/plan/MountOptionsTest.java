package dev.jrun.runtime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountOptionsTest {
    @Test
    void perMountAttributesAreSetAndCleared() {
        MountOptions.Parsed p = MountOptions.parse(List.of("nosuid", "nodev", "ro", "rw", "noexec"));
        assertEquals(MountOptions.ATTR_NOSUID | MountOptions.ATTR_NODEV | MountOptions.ATTR_NOEXEC, p.set());
        assertEquals(MountOptions.ATTR_RDONLY, p.clear(), "the later rw wins over ro");
    }

    @Test
    void relatimeReplacesTheAtimeField() {
        MountOptions.Parsed p = MountOptions.parse(List.of("strictatime", "relatime"));
        assertEquals(0, p.set() & MountOptions.ATTR_ATIME_MASK);
        assertEquals(MountOptions.ATTR_ATIME_MASK, p.clear() & MountOptions.ATTR_ATIME_MASK);
    }

    @Test
    void recursiveVariantsGoToTheRecursiveSet() {
        MountOptions.Parsed p = MountOptions.parse(List.of("rbind", "rro", "rnosuid", "nodev"));
        assertTrue(p.bind());
        assertTrue(p.recursiveBind());
        assertEquals(MountOptions.ATTR_RDONLY | MountOptions.ATTR_NOSUID, p.recursiveSet());
        assertEquals(MountOptions.ATTR_NODEV, p.set());
    }

    @Test
    void propagationIsSeparatedFromItsRecursion() {
        MountOptions.Parsed p = MountOptions.parse(List.of("rshared"));
        assertEquals(MountOptions.MS_SHARED, p.propagation());
        assertTrue(p.recursivePropagation());
        MountOptions.Parsed q = MountOptions.parse(List.of("private"));
        assertEquals(MountOptions.MS_PRIVATE, q.propagation());
        assertFalse(q.recursivePropagation());
    }

    @Test
    void filesystemDataAndSuperblockFlagsBecomeParameters() {
        MountOptions.Parsed p = MountOptions.parse(List.of("mode=755", "size=65536k", "sync", "acl", "newinstance", "defaults"));
        assertEquals(List.of("mode=755", "size=65536k", "sync", "posixacl", "newinstance"), p.params());
        assertFalse(p.bind());
    }

    @Test
    void knownNamesCoverEveryTable() {
        List<String> known = MountOptions.known();
        for (String name : List.of("ro", "rro", "bind", "rbind", "rslave", "sync", "nosymfollow", "rnosymfollow", "defaults")) {
            assertTrue(known.contains(name), name);
        }
        assertFalse(known.contains("tmpcopyup"), "not implemented, so not claimed");
    }
}
