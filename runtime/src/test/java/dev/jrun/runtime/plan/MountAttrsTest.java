package dev.jrun.runtime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.linux.MountOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountAttrsTest {
    @Test
    void perMountAttributesAreSetAndCleared() {
        MountAttrs p = MountAttrs.of(List.of("nosuid", "nodev", "ro", "rw", "noexec"));
        assertEquals(MountOptions.ATTR_NOSUID | MountOptions.ATTR_NODEV | MountOptions.ATTR_NOEXEC, p.set());
        assertEquals(MountOptions.ATTR_RDONLY, p.clear(), "the later rw wins over ro");
    }

    @Test
    void theAtimeModeResolvesAsMount2ResolvesIt() {
        MountAttrs strict = MountAttrs.of(List.of("strictatime", "relatime"));
        assertEquals(MountOptions.ATTR_STRICTATIME, strict.set() & MountOptions.ATTR_ATIME_MASK,
                "strictatime wins whatever the order");
        assertEquals(MountOptions.ATTR_ATIME_MASK, strict.clear() & MountOptions.ATTR_ATIME_MASK);
        MountAttrs noatime = MountAttrs.of(List.of("noatime", "relatime"));
        assertEquals(MountOptions.ATTR_NOATIME, noatime.set() & MountOptions.ATTR_ATIME_MASK);
        MountAttrs relatime = MountAttrs.of(List.of("relatime"));
        assertEquals(0, relatime.set() & MountOptions.ATTR_ATIME_MASK);
        assertEquals(MountOptions.ATTR_ATIME_MASK, relatime.clear() & MountOptions.ATTR_ATIME_MASK);
        MountAttrs none = MountAttrs.of(List.of("nosuid"));
        assertEquals(0, none.clear() & MountOptions.ATTR_ATIME_MASK, "no atime option leaves the field alone");
    }

    @Test
    void recursiveVariantsGoToTheRecursiveSet() {
        MountAttrs p = MountAttrs.of(List.of("rbind", "rro", "rnosuid", "nodev"));
        assertTrue(MountOptions.parse(List.of("rbind", "rro", "rnosuid", "nodev")).recursiveBind());
        assertEquals(MountOptions.ATTR_RDONLY | MountOptions.ATTR_NOSUID, p.recursiveSet());
        assertEquals(MountOptions.ATTR_NODEV, p.set());
    }

    @Test
    void propagationIsSeparatedFromItsRecursion() {
        MountAttrs p = MountAttrs.of(List.of("rshared"));
        assertEquals(MountOptions.MS_SHARED, p.propagation());
        assertTrue(p.propagationRecursive());
        MountAttrs q = MountAttrs.of(List.of("private"));
        assertEquals(MountOptions.MS_PRIVATE, q.propagation());
        assertFalse(q.propagationRecursive());
    }

    @Test
    void filesystemDataAndSuperblockFlagsBecomeParametersInOrder() {
        // "acl" is data, as runc passes it: mount(2) has no flag for it (runc issue 3738)
        MountAttrs p = MountAttrs.of(List.of("mode=755", "size=65536k", "sync", "acl", "newinstance", "defaults"));
        assertEquals(List.of("mode=755", "size=65536k", "sync", "acl", "newinstance"), p.params());
    }
}
