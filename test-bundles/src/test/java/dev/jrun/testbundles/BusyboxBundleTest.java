package dev.jrun.testbundles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jrun.spec.model.Hook;
import dev.jrun.spec.model.LinuxNamespace;
import dev.jrun.spec.model.Spec;

/** The bundle builder; the probe is a dummy file here (the real one is tested in {@link ProbeTest}). */
class BusyboxBundleTest {

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() throws IOException {
        FileTrees.deleteContents(tmp);
    }

    Path probe;
    Path cache;

    static boolean staticBusyboxPresent() {
        try {
            return Files.isRegularFile(BusyboxBundle.DEFAULT_BUSYBOX) && Elf.isElf(BusyboxBundle.DEFAULT_BUSYBOX)
                    && !Elf.hasInterpreter(BusyboxBundle.DEFAULT_BUSYBOX);
        } catch (IOException e) {
            return false;
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        probe = Files.writeString(tmp.resolve("dummy-probe"), "#!/bin/sh\necho '{}'\n");
        cache = tmp.resolve("cache");
    }

    BusyboxBundle busybox() {
        assumeTrue(staticBusyboxPresent(), "busybox-static is not installed");
        return BusyboxBundle.builder().probe(probe).cacheDir(cache).build();
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) assertInstanceOf(Map.class, o);
    }

    @Test
    void buildsRootfsAndConfig() throws IOException {
        Bundle b = busybox().create(tmp.resolve("bundle"));
        Path rootfs = b.rootfs();
        assertEquals(tmp.resolve("bundle/rootfs"), rootfs);

        assertFalse(Elf.hasInterpreter(rootfs.resolve("bin/busybox")));
        assertEquals(0755, mode(rootfs.resolve("bin/busybox")));
        assertEquals(Files.readString(probe), Files.readString(rootfs.resolve("bin/jrun-probe")));
        assertEquals(0755, mode(rootfs.resolve("bin/jrun-probe")));
        for (String applet : List.of("bin/sh", "bin/ls", "bin/mount", "sbin/ifconfig", "usr/bin/env")) {
            Path link = rootfs.resolve(applet);
            assertTrue(Files.isSymbolicLink(link), applet);
            assertEquals(Path.of("/bin/busybox"), Files.readSymbolicLink(link), applet);
        }
        for (String dir : List.of("proc", "sys", "dev", "etc", "var", "run", "home/probe", "usr/sbin")) {
            assertTrue(Files.isDirectory(rootfs.resolve(dir), LinkOption.NOFOLLOW_LINKS), dir);
            assertEquals(0755, mode(rootfs.resolve(dir)), dir);
        }
        assertEquals(01777, mode(rootfs.resolve("tmp")));
        assertEquals(0700, mode(rootfs.resolve("root")));

        List<String> passwd = Files.readAllLines(rootfs.resolve("etc/passwd"));
        assertTrue(passwd.contains("root:x:0:0:root:/root:/bin/sh"));
        assertTrue(passwd.stream().anyMatch(l -> l.startsWith("daemon:x:1:1:")));
        assertTrue(passwd.stream().anyMatch(l -> l.startsWith("nobody:x:65534:65534:")));
        assertTrue(passwd.stream().anyMatch(l -> l.startsWith("probe:x:1000:1000:")));
        List<String> group = Files.readAllLines(rootfs.resolve("etc/group"));
        assertTrue(group.containsAll(List.of("root:x:0:", "tty:x:5:", "probe:x:1000:", "extra:x:2000:probe")));
        assertTrue(group.stream().anyMatch(l -> l.startsWith("nobody:x:65534:")));

        Map<String, Object> config = Json.parseObject(b.configJson());
        Map<String, Object> process = obj(config.get("process"));
        assertEquals(List.of("/bin/jrun-probe"), process.get("args"));
        assertFalse(Boolean.TRUE.equals(process.get("terminal")));
        assertEquals("rootfs", obj(config.get("root")).get("path"));
        assertEquals(b.spec(), BusyboxBundle.defaultSpec());
    }

    @Test
    void rootfsIsBuiltOnceAndCached() throws IOException {
        BusyboxBundle bb = busybox();
        Path tarball = bb.rootfsTarball();
        assertTrue(tarball.startsWith(cache));
        FileTime built = Files.getLastModifiedTime(tarball);
        bb.create(tmp.resolve("b1"));
        bb.create(tmp.resolve("b2"));
        // a second builder with the same inputs reuses the file too
        BusyboxBundle again = BusyboxBundle.builder().probe(probe).cacheDir(cache).build();
        assertEquals(tarball, again.rootfsTarball());
        assertEquals(built, Files.getLastModifiedTime(tarball));
        try (var list = Files.list(cache)) {
            assertEquals(List.of(tarball), list.toList(), "only the tarball is left in the cache");
        }
        assertTrue(Files.isRegularFile(tmp.resolve("b2/rootfs/bin/busybox")));

        // a different probe gives a different cached rootfs
        Files.writeString(probe, "#!/bin/sh\necho other\n");
        Path other = BusyboxBundle.builder().probe(probe).cacheDir(cache).build().rootfsTarball();
        assertNotEquals(tarball, other);
    }

    @Test
    void cachedRootfsIsReproducibleAndReadable() throws IOException {
        Path a = busybox().rootfsTarball();
        Path b = BusyboxBundle.builder().probe(probe).cacheDir(tmp.resolve("cache2")).build().rootfsTarball();
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertEquals(0644, mode(a));
    }

    @Test
    void tarballIsRootOwnedExceptHomeProbe() throws IOException {
        Path tarball = busybox().rootfsTarball();
        Map<String, TarArchiveEntry> entries = new HashMap<>();
        try (InputStream in = RootfsTar.gunzip(Files.newInputStream(tarball));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.put(e.getName(), e);
            }
        }
        assertEquals(1000, entries.get("home/probe/").getLongUserId());
        assertEquals(1000, entries.get("home/probe/").getLongGroupId());
        for (TarArchiveEntry e : entries.values()) {
            if (!e.getName().equals("home/probe/")) {
                assertEquals(0, e.getLongUserId(), e.getName());
                assertEquals(0, e.getLongGroupId(), e.getName());
            }
        }
        assertTrue(entries.get("bin/sh").isSymbolicLink());
    }

    @Test
    void editsAreAppliedAndCanBeRepeated() throws IOException {
        Bundle b = busybox().create(tmp.resolve("bundle"), c -> c
                .args(Probe.command("stat", "/dev/null"))
                .setEnv("FOO", "bar")
                .cwd("/tmp")
                .user(1000, 1000, BusyboxBundle.EXTRA_GID)
                .hostname("box")
                .readonlyRoot(false)
                .removeNamespace("network")
                .namespace("uts", null)
                .rlimit("RLIMIT_NOFILE", 64, 128)
                .capabilities("CAP_KILL")
                .maskedPaths("/proc/kcore")
                .readonlyPaths("/proc/sys")
                .annotation("org.example", "1")
                .cgroupsPath("/jrun-test/box")
                .pidsLimit(20)
                .memoryLimit(64L << 20)
                .addHook("prestart", new Hook("/bin/true", List.of("true"), null, 5L))
                .bindMount("/etc/hostname", "/etc/hostname", "ro"));
        Spec s = b.spec();
        assertEquals(List.of("/bin/jrun-probe", "stat", "/dev/null"), s.process().args());
        assertTrue(s.process().env().contains("FOO=bar"));
        assertEquals("/tmp", s.process().cwd());
        assertEquals(1000L, s.process().user().uid());
        assertEquals(List.of(2000L), s.process().user().additionalGids());
        assertEquals("box", s.hostname());
        assertFalse(s.root().isReadonly());
        assertFalse(s.linux().hasNamespace("network"));
        assertTrue(s.linux().hasNamespace("uts"));
        assertEquals(1, s.process().rlimits().stream().filter(r -> r.type().equals("RLIMIT_NOFILE")).count());
        assertEquals(List.of("CAP_KILL"), s.process().capabilities().bounding());
        assertEquals(List.of("/proc/kcore"), s.linux().maskedPaths());
        assertEquals("1", s.annotations().get("org.example"));
        assertEquals(20L, s.linux().resources().pids().limit());
        assertEquals(64L << 20, s.linux().resources().memory().limit());
        assertEquals("/bin/true", s.hooks().prestart().get(0).path());
        assertEquals("/etc/hostname", s.mounts().get(s.mounts().size() - 1).destination());

        Map<String, Object> json = Json.parseObject(b.configJson());
        assertEquals("box", json.get("hostname"));
        assertEquals("/jrun-test/box", obj(json.get("linux")).get("cgroupsPath"));

        Bundle again = b.edit(c -> c.hostname("other").terminal(true));
        assertEquals("other", Json.parseObject(again.configJson()).get("hostname"));
        assertTrue(again.spec().process().isTerminal());
        assertEquals(s.process().args(), again.spec().process().args());
    }

    @Test
    void namespaceHelpers() {
        ConfigEditor c = new ConfigEditor(BusyboxBundle.defaultSpec())
                .namespace("network", "/var/run/netns/x")
                .userNamespace(100000, 100000, 65536);
        assertEquals(new LinuxNamespace("network", "/var/run/netns/x"), c.spec().linux().namespace("network"));
        assertTrue(c.spec().linux().hasNamespace("user"));
        assertEquals(100000L, c.spec().linux().uidMappings().get(0).hostID());
        int count = c.spec().linux().namespaces().size();
        c.addNamespace("user");
        assertEquals(count, c.spec().linux().namespaces().size(), "no duplicate namespace");
        assertThrows(IllegalArgumentException.class, () -> c.addHook("never", new Hook("/x", null, null, null)));
    }

    @Test
    void refusesAnExistingRootfs() throws IOException {
        BusyboxBundle bb = busybox();
        bb.create(tmp.resolve("b"));
        IOException e = assertThrows(IOException.class, () -> bb.create(tmp.resolve("b")));
        assertTrue(e.getMessage().contains("already has a rootfs"), e.getMessage());
    }

    @Test
    void ociImageOfTheRootfs() throws Exception {
        BusyboxBundle bb = busybox();
        OciImage.Result r = bb.ociImage("docker.io/library/busybox:jrun").writeArchive(tmp.resolve("img.tar"));
        assertEquals(OciImage.sha256(bb.rootfsTarball()), r.layer().digest());
        assertTrue(Files.size(tmp.resolve("img.tar")) > Files.size(bb.rootfsTarball()));
    }

    @Test
    void refusesMissingOrDynamicBusybox() throws IOException {
        Path dynamic = Path.of("/bin/ls");
        assumeTrue(Files.isRegularFile(dynamic) && Elf.hasInterpreter(dynamic), "/bin/ls is not dynamic here");
        IOException e = assertThrows(IOException.class, () -> BusyboxBundle.builder().probe(probe)
                .cacheDir(cache).busybox(dynamic).build().rootfsTarball());
        assertTrue(e.getMessage().contains("busybox-static"), e.getMessage());
        assertTrue(e.getMessage().contains("statically linked"), e.getMessage());

        e = assertThrows(IOException.class, () -> BusyboxBundle.builder().probe(probe).cacheDir(cache)
                .busybox(tmp.resolve("missing")).build().rootfsTarball());
        assertTrue(e.getMessage().contains("busybox-static"), e.getMessage());

        e = assertThrows(IOException.class, () -> BusyboxBundle.builder().probe(probe).cacheDir(cache)
                .busybox(probe).build().rootfsTarball());
        assertTrue(e.getMessage().contains("not a statically linked ELF"), e.getMessage());
    }

    @Test
    void refusesMissingOrDynamicProbe() throws IOException {
        assumeTrue(staticBusyboxPresent(), "busybox-static is not installed");
        IOException e = assertThrows(IOException.class, () -> BusyboxBundle.builder().probe(tmp.resolve("nope"))
                .cacheDir(cache).build().rootfsTarball());
        assertTrue(e.getMessage().contains("jrun-probe not found"), e.getMessage());
        e = assertThrows(IOException.class, () -> BusyboxBundle.builder().probe(Path.of("/bin/ls"))
                .cacheDir(cache).build().rootfsTarball());
        assertTrue(e.getMessage().contains("gcc -static"), e.getMessage());
    }

    @Test
    void elfParsing() throws IOException {
        assertFalse(Elf.isElf(probe));
        assertThrows(IOException.class, () -> Elf.hasInterpreter(probe));
        assumeTrue(staticBusyboxPresent());
        assertTrue(Elf.isElf(BusyboxBundle.DEFAULT_BUSYBOX));
        assertFalse(Elf.hasInterpreter(BusyboxBundle.DEFAULT_BUSYBOX));
    }

    @Test
    void appletListComesFromBusybox() throws IOException {
        assumeTrue(staticBusyboxPresent());
        List<String> applets = BusyboxBundle.listApplets(BusyboxBundle.DEFAULT_BUSYBOX);
        assertTrue(applets.contains("bin/sh"), applets.toString());
        assertFalse(applets.contains("bin/busybox"));
        applets.forEach(a -> assertFalse(a.startsWith("/"), a));
    }
}
