package dev.jrun.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrun.spec.model.LinuxMemory;
import dev.jrun.spec.model.LinuxResources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourcesUpdateTest {
    static LinuxResources memory(Long limit, Long swap) {
        return new LinuxResources(null, new LinuxMemory(limit, null, swap, null, null, null, null, null, null), null,
                null, null, null, null, null, null);
    }

    static final LinuxResources LIMITED = memory(64L << 20, 128L << 20);

    @Test
    void liftingTheMemoryLimitAloneUnsetsTheSwapLimit() throws Exception {
        LinuxMemory m = ResourcesUpdate.merge(LIMITED, ResourcesUpdate.fromFlags(Map.of("memory", "-1"))).memory();
        assertEquals(-1L, m.limit());
        assertEquals(0L, m.swap(), "unset: the drivers lift it with the memory limit");
        m = ResourcesUpdate.merge(LIMITED, memory(-1L, null)).memory();
        assertEquals(0L, m.swap(), "the JSON form too");
    }

    @Test
    void aSwapLimitNamedWithItOrANewMemoryLimitKeepsItsValue() throws Exception {
        LinuxMemory m = ResourcesUpdate.merge(LIMITED, memory(-1L, 256L << 20)).memory();
        assertEquals(256L << 20, m.swap());
        m = ResourcesUpdate.merge(LIMITED, ResourcesUpdate.fromFlags(Map.of("memory", "100m"))).memory();
        assertEquals(100L << 20, m.limit());
        assertEquals(128L << 20, m.swap());
    }
}
