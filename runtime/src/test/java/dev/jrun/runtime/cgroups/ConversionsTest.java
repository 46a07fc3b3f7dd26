package dev.jrun.runtime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The v1 to v2 conversions, against values computed with runc's Go code (runc 1.5.1). */
class ConversionsTest {

    /** shares, weight pairs printed by Go's math for opencontainers/cgroups 0.0.6+ (runc 1.4+). */
    private static final long[][] SHARES_TO_WEIGHT = {
        {0, 0}, {1, 1}, {2, 1}, {3, 2}, {4, 2}, {5, 2}, {6, 3}, {9, 3}, {10, 4}, {14, 4}, {15, 5}, {19, 5},
        {100, 17}, {512, 59}, {1023, 100}, {1024, 100}, {1025, 101}, {2048, 174}, {4096, 303}, {9973, 625},
        {19946, 1110}, {29919, 1557}, {39892, 1984}, {49865, 2397}, {59838, 2798}, {69811, 3191}, {79784, 3576},
        {89757, 3955}, {99730, 4329}, {102400, 4429}, {109703, 4699}, {119676, 5065}, {129649, 5426}, {139622, 5785},
        {149595, 6140}, {159568, 6493}, {169541, 6843}, {179514, 7191}, {189487, 7537}, {199460, 7881},
        {209433, 8222}, {219406, 8562}, {229379, 8900}, {239352, 9237}, {249325, 9572}, {259298, 9906},
        {262143, 10000}, {262144, 10000}, {262150, 10000},
    };

    @Test
    void cpuSharesToWeightMatchesRunc() {
        for (long[] p : SHARES_TO_WEIGHT) {
            assertEquals(p[1], CgroupValues.cpuWeight(p[0]), "shares " + p[0]);
        }
        // a uint64 beyond Long.MAX_VALUE is "huge", not negative
        assertEquals(10000, CgroupValues.cpuWeight(-1L));
    }

    @Test
    void cpuWeightIsMonotonicAndInRange() {
        long prev = 1;
        for (long s = 2; s <= 262144; s++) {
            long w = CgroupValues.cpuWeight(s);
            assertTrue(w >= prev && w <= 10000, "shares " + s + " -> " + w);
            prev = w;
        }
    }

    @Test
    void blkioWeightToIoWeight() {
        assertEquals(0, CgroupValues.ioWeight(0));
        assertEquals(1, CgroupValues.ioWeight(10));
        assertEquals(11, CgroupValues.ioWeight(11));
        assertEquals(910, CgroupValues.ioWeight(100));
        assertEquals(4950, CgroupValues.ioWeight(500));
        assertEquals(10000, CgroupValues.ioWeight(1000));
    }

    @Test
    void swapToV2() throws Exception {
        assertEquals(-1, CgroupValues.swapV2(0, -1)); // unlimited memory, swap unset: unlimited swap
        assertEquals(0, CgroupValues.swapV2(0, 100)); // unset stays unset
        assertEquals(-1, CgroupValues.swapV2(-1, 100));
        assertEquals(300, CgroupValues.swapV2(300, -1)); // unlimited memory: swap as is
        assertEquals(200, CgroupValues.swapV2(300, 100));
        assertEquals(0, CgroupValues.swapV2(100, 100));
        assertTrue(assertThrows(CgroupException.class, () -> CgroupValues.swapV2(100, 0)).getMessage()
                .contains("without a memory limit"));
    }

    @Test
    void pidsLimit() {
        assertEquals("5", V1Resources.pidsMax(5));
        assertEquals("1", V1Resources.pidsMax(0));
        assertEquals("max", V1Resources.pidsMax(-1));
    }
}
