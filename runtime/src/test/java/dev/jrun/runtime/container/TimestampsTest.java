package dev.jrun.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void trailingZerosAreDroppedOneByOneLikeGo() {
        assertEquals("2026-11-27T16:00:00.5Z", Timestamps.format(Instant.parse("2026-11-27T16:00:00.500Z")));
        assertEquals("2026-11-27T16:00:00.123456789Z", Timestamps.format(Instant.parse("2026-11-27T16:00:00.123456789Z")));
        assertEquals("2026-11-27T16:00:00.12Z", Timestamps.format(Instant.parse("2026-11-27T16:00:00.120Z")));
        assertEquals("2026-11-27T16:00:00Z", Timestamps.format(Instant.parse("2026-11-27T16:00:00Z")));
    }
}
