package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * `make install DESTDIR=… PREFIX=/usr/local` and `make uninstall` with the same, from the built
 * tree (never rebuilding it under the running tests): what install lays out works (the
 * launcher, the man pages as man and groff read them, the completion as bash loads it), and
 * uninstall takes away exactly that.
 */
class InstallTest extends ContainerTest {
    private static final String PREFIX = "/usr/local";

    /** The commands runc has (and jrun's validate): a page each, and jrun.8. */
    private static final List<String> COMMANDS = List.of("checkpoint", "create", "delete", "events", "exec", "kill",
            "list", "pause", "ps", "restore", "resume", "run", "spec", "start", "state", "update", "features",
            "validate");

    private static Result make(String target, Path destdir) throws IOException, InterruptedException {
        String repo = System.getProperty("jrun.repo");
        if (repo == null || !Files.isRegularFile(Path.of(repo, "Makefile"))) {
            fail("-Djrun.repo must name jrun's source tree: " + repo);
        }
        // the jars the dist was made from: make must not rebuild them while tests run from them
        Result r = exec(Path.of(repo), List.of("make", "-s", "-o", "build/jars.stamp", target, "DESTDIR=" + destdir,
                "PREFIX=" + PREFIX), 600);
        if (r.status() != 0) {
            fail("make " + target + " exited " + r.status() + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        }
        return r;
    }

    /** Every path under dir, relative to it, directories ending in "/". */
    private static Set<String> tree(Path dir) throws IOException {
        Set<String> paths = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !p.equals(dir))
                    .forEach(p -> paths.add(dir.relativize(p) + (Files.isDirectory(p) ? "/" : "")));
        }
        return paths;
    }

    @Test
    void installLaysOutWhatWorksAndUninstallLeavesNothingOfIt() throws Exception {
        Path destdir = work.resolve("dest");
        Files.createDirectory(destdir);
        make("install", destdir);
        Path prefix = destdir.resolve(PREFIX.substring(1));
        Path man8 = prefix.resolve("share/man/man8");

        Result version = exec(null, List.of(prefix.resolve("bin/jrun").toString(), "--version"), 60);
        assertEquals(0, version.status(), version.err());
        assertTrue(version.out().startsWith("jrun version "), version.out());
        Result help = exec(null, List.of(prefix.resolve("bin/jrun").toString(), "help", "update"), 60);
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().contains("\n   --memory VALUE              Memory limit (in bytes)\n"), help.out());

        List<String> pages = new ArrayList<>(List.of("jrun.8"));
        for (String command : COMMANDS) {
            pages.add("jrun-" + command + ".8");
        }
        assertEquals(new TreeSet<>(pages), tree(man8));
        for (String page : pages) {
            Path file = man8.resolve(page);
            Result shown = exec(null, List.of("env", "MANWIDTH=80", "man", "-l", file.toString()), 60);
            assertEquals(0, shown.status(), page + ": " + shown.err());
            assertEquals("", shown.err(), page);
            String title = page.replace(".8", "").toUpperCase() + "(8)";
            assertTrue(shown.out().startsWith(title), page + ": " + shown.out());
            // as whatis and apropos read it; man justifies the line, so the spaces may be more than one
            assertTrue(Pattern.compile("\nNAME\n {7}" + Pattern.quote(page.replace(".8", "")) + " +- ")
                    .matcher(shown.out()).find(), page + ": " + shown.out());
            Result groff = exec(null, List.of("groff", "-man", "-Tutf8", "-ww", "-z", file.toString()), 60);
            assertEquals(0, groff.status(), page);
            assertEquals("", groff.out() + groff.err(), page + ": groff's warnings");
        }

        Path completion = prefix.resolve("share/bash-completion/completions/jrun");
        Result complete = exec(null, List.of("bash", "-c", "source " + completion + " && complete -p jrun"), 60);
        assertEquals(0, complete.status(), complete.err());
        assertEquals("complete -o default -F _complete_jrun jrun\n", complete.out());

        make("uninstall", destdir);
        assertEquals(Set.of(), tree(prefix), "nothing install put under the prefix is left");
        assertEquals(Set.of("usr/", "usr/local/"), tree(destdir), "the prefix itself stays");
    }

    @Test
    void uninstallLeavesWhatWasThereBefore() throws Exception {
        Path destdir = work.resolve("shared");
        Path prefix = destdir.resolve(PREFIX.substring(1));
        for (String other : List.of("bin/other", "share/man/man8/other.8", "share/bash-completion/completions/other",
                "lib/other/other.jar")) {
            Files.createDirectories(prefix.resolve(other).getParent());
            Files.writeString(prefix.resolve(other), other);
        }
        Set<String> before = tree(prefix);
        make("install", destdir);
        assertTrue(Files.isRegularFile(prefix.resolve("share/man/man8/jrun-update.8")));
        make("uninstall", destdir);
        assertEquals(before, tree(prefix));
        make("uninstall", destdir);
        assertEquals(before, tree(prefix), "a second uninstall finds nothing to remove");
    }
}
