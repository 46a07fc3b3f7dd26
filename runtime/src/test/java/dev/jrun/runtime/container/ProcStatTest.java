package dev.jrun.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatTest {
    @Test
    void commWithSpacesAndParensDoesNotShiftFields(@TempDir Path tmp) throws Exception {
        Path stat = tmp.resolve("stat");
        Files.writeString(stat, "1234 (a b) (c)) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10\n");
        ProcStat s = ProcStat.read(stat);
        assertEquals('S', s.state());
        assertEquals(987654L, s.startTime());
    }

    @Test
    void zombiesCountAsGoneAndMissingIsNull(@TempDir Path tmp) throws Exception {
        Path stat = tmp.resolve("stat");
        Files.writeString(stat, "9 (x) Z 1 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0\n");
        assertTrue(ProcStat.read(stat).isGone());
        assertNull(ProcStat.read(tmp.resolve("missing")));
    }

    @Test
    void ourOwnProcessIsReadable() throws Exception {
        ProcStat self = ProcStat.read((int) ProcessHandle.current().pid());
        assertTrue(self.startTime() > 0);
    }
}
