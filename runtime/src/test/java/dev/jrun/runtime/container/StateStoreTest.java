package dev.jrun.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path tmp;

    static ContainerState state(String id, int pid) {
        return new ContainerState(id, pid, 4242L + pid, "/b/" + id, "/b/" + id + "/rootfs", "2026-11-27T16:00:00.5Z", "",
                Map.of("a", "1"), Map.of("memory", "/sys/fs/cgroup/memory/" + id, "", "/sys/fs/cgroup/unified/" + id),
                true, false, Map.of(), false, Map.of("memory", "/sys/fs/cgroup/memory/pod-" + id));
    }

    @Test
    void roundTripsEveryField() throws Exception {
        StateStore store = new StateStore(tmp.resolve("root"));
        try (StateStore.Lock lock = store.reserve("c1")) {
            store.write(state("c1", 7));
        }
        assertEquals(state("c1", 7), store.read("c1"));
        assertEquals(List.of("c1"), store.ids());
    }

    @Test
    void rootIsPrivate() throws Exception {
        StateStore store = new StateStore(tmp.resolve("root"));
        store.reserve("c1").close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("root"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.dir("c1"))));
    }

    @Test
    void aTakenIdIsRefusedWithRuncsPhrase() throws Exception {
        StateStore store = new StateStore(tmp);
        store.reserve("c1").close();
        JrunException e = assertThrows(JrunException.class, () -> store.reserve("c1"));
        assertEquals("container with id exists: c1", e.getMessage());
    }

    @Test
    void unknownIdsSayDoesNotExist() {
        StateStore store = new StateStore(tmp);
        JrunException e = assertThrows(JrunException.NotFound.class, () -> store.read("nope"));
        assertEquals("container \"nope\" does not exist", e.getMessage());
        assertThrows(JrunException.NotFound.class, () -> store.lock("nope"));
    }

    @Test
    void idsAreChecked() {
        for (String bad : List.of("", ".", "..", "a/b", "a b", "x\n", "é", "../etc")) {
            assertThrows(JrunException.class, () -> StateStore.checkId(bad), "\"" + bad + "\"");
        }
        for (String good : List.of("a", "A-b_c.d+e", "0123456789", "...x")) {
            assertDoesNotThrow(good);
        }
    }

    private static void assertDoesNotThrow(String id) {
        try {
            StateStore.checkId(id);
        } catch (JrunException e) {
            throw new AssertionError(id + ": " + e.getMessage());
        }
    }

    @Test
    void writesAreAtomicUnderConcurrentWritersAndReaders() throws Exception {
        StateStore store = new StateStore(tmp);
        store.reserve("c1").close();
        store.write(state("c1", 1));
        int writers = 4;
        int rounds = 200;
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int base = w * 1000;
            threads.add(new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < rounds; i++) {
                        // writers serialize through the container lock, as jrun's commands do
                        try (StateStore.Lock lock = store.lock("c1")) {
                            store.write(state("c1", base + i));
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        Thread reader = new Thread(() -> {
            try {
                go.await();
                for (int i = 0; i < rounds * 2; i++) {
                    ContainerState s = store.read("c1");
                    assertEquals(4242L + s.pid(), s.pidStartTime(), "a torn state would mix two writes");
                    reads.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        threads.forEach(Thread::start);
        reader.start();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(rounds * 2, reads.get());
        assertFalse(Files.exists(store.dir("c1").resolve("state.json.tmp")));
    }

    @Test
    void lockSerializesHolders() throws Exception {
        StateStore store = new StateStore(tmp);
        store.reserve("c1").close();
        store.write(state("c1", 1));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 20; i++) {
                    try (StateStore.Lock lock = store.lock("c1")) {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.sleep(0, 100_000);
                        inside.decrementAndGet();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, maxInside.get());
    }

    @Test
    void removeDeletesEverything() throws Exception {
        StateStore store = new StateStore(tmp);
        store.reserve("c1").close();
        store.write(state("c1", 1));
        Files.writeString(store.dir("c1").resolve("config.json"), "{}");
        store.remove("c1");
        assertFalse(Files.exists(store.dir("c1")));
        assertTrue(store.ids().isEmpty());
    }

    @Test
    void aReservedDirectoryAppearsAlreadyLocked() throws Exception {
        StateStore store = new StateStore(tmp);
        try (StateStore.Lock created = store.reserve("c1")) {
            AtomicReference<String> seen = new AtomicReference<>();
            Thread deleter = new Thread(() -> {
                try (StateStore.Lock l = store.lockAny("c1")) {
                    seen.set(store.exists("c1") ? "state" : "half-made");
                } catch (Exception e) {
                    seen.set(e.getMessage());
                }
            });
            deleter.start();
            Thread.sleep(100);
            assertEquals(null, seen.get(), "a delete waits for the create that holds the directory");
            store.write(state("c1", 7));
            created.close();
            deleter.join();
            assertEquals("state", seen.get());
        }
    }

    @Test
    void scratchDirectoriesOfKilledCreatesAreSwept() throws Exception {
        StateStore store = new StateStore(tmp);
        store.reserve("c1").close();
        Path leftover = Files.createDirectories(tmp.resolve("~scratch").resolve("create-123"));
        Files.createFile(leftover.resolve("lock"));
        Files.setLastModifiedTime(leftover, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        Path fresh = Files.createDirectories(tmp.resolve("~scratch").resolve("create-456"));
        Files.createFile(fresh.resolve("lock"));
        store.reserve("c2").close();
        assertFalse(Files.exists(leftover), "a minute old, its lock free: a killed create's");
        assertTrue(Files.exists(fresh), "its lock free but just made: may be a concurrent create's about to lock it");
        assertEquals(List.of(), store.ids(), "neither reservation wrote a state");
        assertTrue(Files.isDirectory(store.dir("c2")));
    }

    /** Many creates at once (50 lifecycles in a benchmark once tripped here): none fails for another's scratch. */
    @Test
    void concurrentReservationsNeverTripOverEachOther() throws Exception {
        StateStore store = new StateStore(tmp);
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int n = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    try {
                        store.reserve("c" + n + "-" + i).close();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), List.copyOf(failures));
        try (java.util.stream.Stream<Path> entries = Files.list(tmp)) {
            assertEquals(200, entries.count(), "200 containers and no scratch left");
        }
    }

    @Test
    void theRootHoldsOnlyContainersBetweenCalls() throws Exception {
        StateStore store = new StateStore(tmp);
        store.reserve("c1").close();
        store.reserve("c2").close();
        try (java.util.stream.Stream<Path> entries = Files.list(tmp)) {
            assertEquals(List.of("c1", "c2"), entries.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void theCreatingRecordRoundTrips() throws Exception {
        StateStore store = new StateStore(tmp);
        store.reserve("c1").close();
        assertEquals(null, store.readCreating("c1"));
        StateStore.Creating c = new StateStore.Creating(Map.of("memory", "/m/c1", "pids", "/p/c1"),
                Map.of("memory", "/m/c1"), Map.of("memory", "/m/pod"), 42, 4242L, "/b/rootfs", Map.of("77", "/b/rootfs"));
        store.writeCreating("c1", c);
        assertEquals(c, store.readCreating("c1"));
        store.removeCreating("c1");
        assertEquals(null, store.readCreating("c1"));
    }

    @Test
    void lockAnyTakesAHalfMadeDirectoryButNotAMissingOne() throws Exception {
        StateStore store = new StateStore(tmp);
        store.reserve("c1").close();
        assertThrows(JrunException.NotFound.class, () -> store.lock("c1"), "no state: lock() says it does not exist");
        store.lockAny("c1").close();
        assertThrows(JrunException.NotFound.class, () -> store.lockAny("nope"));
    }
}
