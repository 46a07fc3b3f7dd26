package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.Hook;
import dev.jrun.testbundles.Bundle;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A `jrun create` killed at any moment must never wedge its id: `delete --force` removes
 * whatever it left (state directory, cgroups, init) and the same id can be created again.
 */
class KilledCreateTest extends ContainerTest {

    /** Every cgroup directory the container could own, in any hierarchy of this host. */
    private static List<Path> cgroupDirs(String id) throws Exception {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                Path d = h.resolve("jrun-test").resolve(id);
                if (Files.exists(d)) {
                    dirs.add(d);
                }
            }
        }
        return dirs;
    }

    /** A kill of the create, this long after its launch or after its state directory appeared. */
    private record Kill(int millis, boolean afterDirectory) {
        @Override
        public String toString() {
            return millis + " ms after " + (afterDirectory ? "the state directory appeared" : "the launch");
        }
    }

    @Test
    void deleteForceRemovesWhatAKilledCreateLeft() throws Exception {
        String id = newId();
        // the hooks stretch create over a second, so kills land in every phase of it
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "30")
                .addHook("prestart", new Hook("/bin/sleep", List.of("sleep", "0.3"), null, null))
                .addHook("createRuntime", new Hook("/bin/sleep", List.of("sleep", "0.7"), null, null)));
        int halfMade = 0;
        // Two kills by the clock, early in the launch.  The others count from the moment the
        // state directory appears: by the clock alone, on a loaded machine (where starting the
        // JVM can take a second) they all landed before it, and the test exercised nothing.
        List<Kill> kills = List.of(new Kill(30, false), new Kill(120, false), new Kill(0, true), new Kill(150, true),
                new Kill(300, true), new Kill(450, true), new Kill(600, true), new Kill(750, true), new Kill(900, true));
        for (Kill kill : kills) {
            ProcessBuilder pb = new ProcessBuilder(jrun.toString(), "--root", root.toString(), "create", "--bundle",
                    b.dir().toString(), id).redirectOutput(new File("/dev/null")).redirectError(new File("/dev/null"));
            Process create = pb.start();
            if (kill.afterDirectory()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.isDirectory(root.resolve(id)) && create.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertTrue(Files.isDirectory(root.resolve(id)), "create made no state directory within 60 s");
            }
            Thread.sleep(kill.millis());
            create.destroyForcibly();
            assertTrue(create.waitFor(30, TimeUnit.SECONDS));
            if (Files.isDirectory(root.resolve(id)) && !Files.exists(root.resolve(id).resolve("state.json"))) {
                halfMade++;
                assertEquals(1, jrun("state", id).status(), "a half-made container does not exist");
            }

            jrun("delete", "--force", id).ok();
            assertFalse(Files.exists(root.resolve(id)), "killed " + kill + ": the state directory is gone");
            assertEquals(List.of(), cgroupDirs(id), "killed " + kill + ": the cgroups are gone");

            jrun("create", "--bundle", b.dir().toString(), id).ok();
            assertEquals("created", jrun("state", id).ok().json().get("status"));
            jrun("delete", "--force", id).ok();
            assertEquals(List.of(), cgroupDirs(id));
        }
        assertTrue(halfMade >= 3, "only " + halfMade + " kills left a half-made container; the test did not "
                + "exercise what it is for");
    }
}
