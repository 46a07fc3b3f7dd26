package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.testbundles.Bundle;
import dev.jrun.testbundles.ConfigEditor;
import dev.jrun.testbundles.Probe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The three races runc fixed in 1.2.8 / 1.3.3 / 1.4.0, tried from a malicious image: each
 * aims a bind mount or a procfs write at /proc/sys/kernel/core_pattern (a host-wide file), and
 * each must leave it and the container's protections as they were.
 */
class Cve2025Test extends ContainerTest {
    private static final Path CORE_PATTERN = Path.of("/proc/sys/kernel/core_pattern");
    private String corePattern;

    @BeforeEach
    void rememberCorePattern() throws IOException {
        corePattern = Files.readString(CORE_PATTERN);
    }

    @AfterEach
    void corePatternIsUntouched() throws IOException {
        assertEquals(corePattern, Files.readString(CORE_PATTERN), "the host's core_pattern is unchanged");
    }

    /** A /dev the image controls: bound from the bundle, so no tmpfs of jrun's covers it. */
    private static Consumer<ConfigEditor> imageDev(Path dev) {
        return c -> c.removeMount("/dev").removeMount("/dev/pts").removeMount("/dev/shm").removeMount("/dev/mqueue")
                .bindMount(dev.toString(), "/dev", "rbind");
    }

    /** Flips path between a symlink to core_pattern and a plain file until stopped. */
    private static Thread racer(Path path, AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            Path tmp = path.resolveSibling(path.getFileName() + ".swap");
            while (!stop.get()) {
                try {
                    Files.deleteIfExists(tmp);
                    Files.createSymbolicLink(tmp, CORE_PATTERN);
                    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    Files.deleteIfExists(tmp);
                    Files.createFile(tmp);
                    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    // the container's set-up may hold the directory busy for a moment
                }
            }
        }, "racer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** CVE-2025-31133: masking binds the null device jrun verified, never the image's /dev/null. */
    @Test
    void maskedPathsAreCoveredByTheRealNullDevice() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path dev = Files.createDirectories(work.resolve("dev-" + round));
            Files.createSymbolicLink(dev.resolve("null"), CORE_PATTERN);
            AtomicBoolean stop = new AtomicBoolean();
            Thread race = round == 0 ? null : racer(dev.resolve("null"), stop);
            try {
                Map<String, Object> p = probe(imageDev(dev).andThen(c -> c.maskedPaths("/proc/timer_list",
                        "/proc/keys")), "stat", "/proc/timer_list", "/proc/keys");
                for (String masked : List.of("/proc/timer_list", "/proc/keys")) {
                    assertEquals("char", get(p, masked, "type"), masked + " in round " + round);
                    assertEquals(1L, number(get(p, masked, "rdev_major")));
                    assertEquals(3L, number(get(p, masked, "rdev_minor")));
                }
            } finally {
                stop.set(true);
                if (race != null) {
                    race.join();
                }
            }
        }
    }

    private Process consoleReceiver(Path socket, Path output) throws Exception {
        Path script = Path.of(getClass().getResource("/recvtty.py").toURI());
        Process recv = new ProcessBuilder("python3", script.toString(), socket.toString(), output.toString())
                .redirectErrorStream(true).start();
        assertEquals("ready", new BufferedReader(new InputStreamReader(recv.getInputStream())).readLine());
        return recv;
    }

    private Bundle consoleBundle(String id, Path dev) throws IOException {
        return bundle(id, imageDev(dev).andThen(c -> c.terminal(true)
                .addMount("/dev/pts", "devpts", "devpts", "newinstance", "ptmxmode=0666", "mode=0620")
                .args("/bin/jrun-probe", "stat", "/dev/console", "/proc/sys/kernel/core_pattern")));
    }

    /** CVE-2025-52565: the pty is bound on /dev/console only if that is an ordinary file. */
    @Test
    void aConsoleSymlinkIsRefused() throws Exception {
        String id = newId();
        Path dev = Files.createDirectories(work.resolve("dev"));
        Files.createDirectories(dev.resolve("pts"));
        Files.createSymbolicLink(dev.resolve("console"), CORE_PATTERN);
        Bundle b = consoleBundle(id, dev);
        Path socket = work.resolve("console.sock");
        Process recv = consoleReceiver(socket, work.resolve("tty.out"));
        try {
            Result r = jrun("create", "--console-socket", socket.toString(), "--bundle", b.dir().toString(), id);
            assertEquals(1, r.status());
            assertEquals("set up the console: create dev/console: too many levels of symbolic links\n", r.err());
            assertFalse(Files.exists(root.resolve(id)));
        } finally {
            recv.destroyForcibly().waitFor();
        }
    }

    @Test
    void aRacedConsoleNeverCoversAProcfsFile() throws Exception {
        for (int round = 0; round < 6; round++) {
            String id = newId();
            Path dev = Files.createDirectories(work.resolve("dev-" + round));
            Files.createDirectories(dev.resolve("pts"));
            Files.createFile(dev.resolve("console"));
            Bundle b = consoleBundle(id, dev);
            Path socket = work.resolve("console-" + round + ".sock");
            Path output = work.resolve("tty-" + round + ".out");
            Process recv = consoleReceiver(socket, output);
            AtomicBoolean stop = new AtomicBoolean();
            Thread race = racer(dev.resolve("console"), stop);
            Result r;
            try {
                r = jrun("create", "--console-socket", socket.toString(), "--bundle", b.dir().toString(), id);
            } finally {
                stop.set(true);
                race.join();
            }
            if (r.status() == 0) {
                jrun("start", id).ok();
                assertTrue(recv.waitFor(30, TimeUnit.SECONDS));
                Map<String, Object> p = TerminalTest.report(Files.readString(output));
                // the racer may still replace the file after the pty is bound (that detaches the
                // bind); what must never be there is a procfs file
                assertFalse(get(p, "/dev/console", "dev_major").equals(get(p, "/proc/sys/kernel/core_pattern",
                        "dev_major")) && get(p, "/dev/console", "dev_minor").equals(get(p,
                        "/proc/sys/kernel/core_pattern", "dev_minor")), "/dev/console is not on procfs: " + p);
                if ("char".equals(get(p, "/dev/console", "type"))) {
                    assertEquals(136L, number(get(p, "/dev/console", "rdev_major")), "a pty");
                }
            } else {
                recv.destroyForcibly().waitFor();
                // refused at the create, or at the bind: the kernel mounts nothing on a file the
                // racer unlinked after jrun opened it (how often each happens depends on timing)
                assertTrue(r.err().startsWith("set up the console: create dev/console: ")
                        || r.err().equals("set up the console: bind pty peer on dev/console: no such file or directory\n"),
                        r.err());
                assertFalse(Files.exists(root.resolve(id)));
            }
        }
    }

    /**
     * CVE-2025-52881: writes to procfs go through jrun's own procfs, never a path of the
     * container's mount namespace, so a mount there cannot redirect them.  Here the container
     * joins a mount namespace where /proc/sys/kernel/domainname is covered by a plain file.
     */
    @Test
    void procfsWritesCannotBeRedirectedByMounts() throws Exception {
        Path decoy = work.resolve("decoy");
        Files.writeString(decoy, "untouched\n");
        Process holder = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind " + decoy + " /proc/sys/kernel/domainname && echo ready && exec sleep 120")
                .redirectErrorStream(true).start();
        try {
            assertEquals("ready", new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine());
            String nsPath = "/proc/" + holder.pid() + "/ns/mnt";
            String id = newId();
            // the probe is also where the joined namespace's own / has it, so this runs whichever root it gets
            Path probe = Probe.binary().toAbsolutePath();
            Bundle b = bundle(id, c -> c.namespace("mount", nsPath).addNamespace("uts")
                    .sysctl("kernel.domainname", "jrun-cve").args(probe.toString()));
            Path inRootfs = b.rootfs().resolve(probe.toString().substring(1));
            Files.createDirectories(inRootfs.getParent());
            Files.copy(probe, inRootfs, StandardCopyOption.REPLACE_EXISTING);
            Result r = jrun("run", "--bundle", b.dir().toString(), id);
            assertEquals(0, r.status(), r.err());
            assertEquals("jrun-cve", r.json().get("domainname"), "the sysctl reached the container's uts namespace");
            assertEquals("untouched\n", Files.readString(decoy), "the write was not redirected into the decoy");
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }
}
