package dev.jrun.runtime.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jrun.runtime.container.FakeSyscalls;
import java.util.List;
import org.junit.jupiter.api.Test;

/** jrun-init's fd layout: stdio, --preserve-fds, its end of the sync socket, the plan's fds, itself. */
class ExecutorTest {
    @Test
    void fdsAreLaidOutAfterThePreservedOnes() throws Exception {
        FakeSyscalls sys = new FakeSyscalls();
        Executor executor = new Executor(2);
        int fifo = sys.newFd();
        int console = sys.newFd();
        assertEquals(6, executor.pass(fifo), "3 and 4 are preserved, 5 is the sync socket");
        assertEquals(7, executor.pass(console));
        Executor.Started started = executor.start(sys);
        int[] fds = sys.lastChildFds;
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, java.util.Arrays.copyOf(fds, 5), "stdio and preserved fds pass as they are");
        assertEquals(fifo, fds[6]);
        assertEquals(console, fds[7]);
        assertEquals(9, fds.length, "the memfd comes last");
        assertEquals(List.of("jrun-init", "5", "5", "3", "8"), sys.lastArgv,
                "sync fd, then our fds from 5 on, 3 of them, and the memfd it runs from (8)");
        assertFalse(sys.open.contains(fds[5]), "jrun-init's end of the socket is closed in the parent");
        assertFalse(sys.open.contains(fds[8]), "so is the memfd");
        started.socket().close();
        sys.close(fifo);
        sys.close(console);
        assertEquals(java.util.Set.of(), sys.open);
    }
}
