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

    @Test
    void deleteForceRemovesWhatAKilledCreateLeft() throws Exception {
        String id = newId();
        // the hooks stretch create over a second, so kills land in every phase of it
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "sleep", "30")
                .addHook("prestart", new Hook("/bin/sleep", List.of("sleep", "0.3"), null, null))
                .addHook("createRuntime", new Hook("/bin/sleep", List.of("sleep", "0.7"), null, null)));
        int halfMade = 0;
        int[] delays = {30, 120, 250, 400, 550, 700, 900, 1100, 1400};
        for (int delay : delays) {
            ProcessBuilder pb = new ProcessBuilder(jrun.toString(), "--root", root.toString(), "create", "--bundle",
                    b.dir().toString(), id).redirectOutput(new File("/dev/null")).redirectError(new File("/dev/null"));
            Process create = pb.start();
            Thread.sleep(delay);
            create.destroyForcibly();
            assertTrue(create.waitFor(30, TimeUnit.SECONDS));
            if (Files.isDirectory(root.resolve(id)) && !Files.exists(root.resolve(id).resolve("state.json"))) {
                halfMade++;
                assertEquals(1, jrun("state", id).status(), "a half-made container does not exist");
            }

            jrun("delete", "--force", id).ok();
            assertFalse(Files.exists(root.resolve(id)), "killed after " + delay + " ms: the state directory is gone");
            assertEquals(List.of(), cgroupDirs(id), "killed after " + delay + " ms: the cgroups are gone");

            jrun("create", "--bundle", b.dir().toString(), id).ok();
            assertEquals("created", jrun("state", id).ok().json().get("status"));
            jrun("delete", "--force", id).ok();
            assertEquals(List.of(), cgroupDirs(id));
        }
        assertTrue(halfMade >= 3, "only " + halfMade + " kills left a half-made container; the test did not "
                + "exercise what it is for");
    }
}
