package dev.jrun.testbundles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsTarTest {

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() throws IOException {
        FileTrees.deleteContents(tmp);
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    static Object ino(Path p) throws IOException {
        return Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    /** A small tree with every kind of entry and unusual modes. */
    Path sampleTree() throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("a/b"));
        Files.createDirectories(src.resolve("empty"));
        Files.createDirectories(src.resolve("tmp"));
        Files.writeString(src.resolve("a/f"), "content of f\n");
        Files.writeString(src.resolve("exec"), "#!/bin/sh\n");
        Files.writeString(src.resolve("suid"), "s");
        Files.write(src.resolve("a/b/bin"), new byte[] {0, 1, 2, (byte) 255});
        Files.createLink(src.resolve("a/hard"), src.resolve("a/f"));
        Files.createSymbolicLink(src.resolve("rel"), Path.of("a/f"));
        Files.createSymbolicLink(src.resolve("abs"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(src.resolve("dangling"), Path.of("nowhere"));
        Files.writeString(src.resolve("a/" + "long-".repeat(30) + "name"), "long");
        Files.setAttribute(src.resolve("a/f"), "unix:mode", 0640);
        Files.setAttribute(src.resolve("exec"), "unix:mode", 0755);
        Files.setAttribute(src.resolve("suid"), "unix:mode", 04711);
        Files.setAttribute(src.resolve("tmp"), "unix:mode", 01777);
        Files.setAttribute(src.resolve("a/b"), "unix:mode", 0500);
        Files.setAttribute(src.resolve("empty"), "unix:mode", 0700);
        Files.setLastModifiedTime(src.resolve("exec"), FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
        return src;
    }

    @Test
    void roundTripKeepsModesLinksAndTimes() throws IOException {
        Path src = sampleTree();
        for (String name : List.of("rootfs.tar.gz", "rootfs.tar")) {
            Path tar = tmp.resolve(name);
            RootfsTar.write(src, tar);
            Path out = tmp.resolve("out-" + name);
            RootfsTar.extract(tar, out);

            assertEquals("content of f\n", Files.readString(out.resolve("a/f")));
            assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, Files.readAllBytes(out.resolve("a/b/bin")));
            assertEquals("long", Files.readString(out.resolve("a/" + "long-".repeat(30) + "name")));
            assertEquals(0640, mode(out.resolve("a/f")));
            assertEquals(0755, mode(out.resolve("exec")));
            assertEquals(04711, mode(out.resolve("suid")));
            assertEquals(01777, mode(out.resolve("tmp")));
            assertEquals(0500, mode(out.resolve("a/b")));
            assertEquals(0700, mode(out.resolve("empty")));
            assertEquals(Path.of("a/f"), Files.readSymbolicLink(out.resolve("rel")));
            assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(out.resolve("abs")));
            assertEquals(Path.of("nowhere"), Files.readSymbolicLink(out.resolve("dangling")));
            assertEquals(ino(out.resolve("a/f")), ino(out.resolve("a/hard")), "hard link kept");
            assertEquals(Instant.parse("2001-02-03T04:05:06Z"),
                    Files.getLastModifiedTime(out.resolve("exec")).toInstant());
        }
        assertTrue(isGzip(tmp.resolve("rootfs.tar.gz")));
        assertFalse(isGzip(tmp.resolve("rootfs.tar")));
    }

    static boolean isGzip(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    @Test
    void writingIsDeterministic() throws IOException {
        Path src = sampleTree();
        RootfsTar.write(src, tmp.resolve("1.tar.gz"));
        RootfsTar.write(src, tmp.resolve("2.tar.gz"));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("1.tar.gz")), Files.readAllBytes(tmp.resolve("2.tar.gz")));
    }

    @Test
    void entriesAreSortedAndCarryMappedOwners() throws IOException {
        Path src = sampleTree();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        RootfsTar.write(src, buf, new RootfsTar.WriteOptions(Instant.EPOCH, RootfsTar.OwnerMapper.rootOwnedExcept(
                Map.of("a/f", new RootfsTar.Owner(1000, 2000)))));
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(buf.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), e);
            }
        }
        assertEquals(List.of("a/", "a/b/", "a/b/bin", "a/f", "a/hard", "a/" + "long-".repeat(30) + "name", "abs",
                "dangling", "empty/", "exec", "rel", "suid", "tmp/"), List.copyOf(entries.keySet()));
        assertEquals(1000, entries.get("a/f").getLongUserId());
        assertEquals(2000, entries.get("a/f").getLongGroupId());
        assertEquals(0, entries.get("exec").getLongUserId());
        assertTrue(entries.get("a/hard").isLink());
        assertEquals("a/f", entries.get("a/hard").getLinkName());
        assertTrue(entries.get("rel").isSymbolicLink());
        assertEquals(Instant.EPOCH, entries.get("exec").getLastModifiedTime().toInstant());
        assertEquals(04711, entries.get("suid").getMode() & 07777);
    }

    /** Builds a tar in memory from (name, type, linkName-or-content) triples. */
    static byte[] tar(String[]... entries) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(buf)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String[] e : entries) {
                TarArchiveEntry entry;
                switch (e[1]) {
                    case "file" -> {
                        entry = new TarArchiveEntry(e[0], true);
                        byte[] data = e[2].getBytes(StandardCharsets.UTF_8);
                        entry.setSize(data.length);
                        entry.setMode(0100644);
                        out.putArchiveEntry(entry);
                        out.write(data);
                        out.closeArchiveEntry();
                        continue;
                    }
                    case "dir" -> entry = new TarArchiveEntry(e[0], TarConstants.LF_DIR, true);
                    case "symlink" -> {
                        entry = new TarArchiveEntry(e[0], TarConstants.LF_SYMLINK, true);
                        entry.setLinkName(e[2]);
                    }
                    case "hardlink" -> {
                        entry = new TarArchiveEntry(e[0], TarConstants.LF_LINK, true);
                        entry.setLinkName(e[2]);
                    }
                    case "chardev" -> {
                        entry = new TarArchiveEntry(e[0], TarConstants.LF_CHR, true);
                        entry.setDevMajor(1);
                        entry.setDevMinor(3);
                    }
                    default -> throw new IllegalArgumentException(e[1]);
                }
                out.putArchiveEntry(entry);
                out.closeArchiveEntry();
            }
        }
        return buf.toByteArray();
    }

    static String[] e(String... parts) {
        return parts;
    }

    void assertRefused(byte[] archive, Path target) {
        IOException ex = assertThrows(IOException.class,
                () -> RootfsTar.extract(new ByteArrayInputStream(archive), target));
        assertTrue(ex.getMessage().contains("refusing"), ex.getMessage());
    }

    @Test
    void refusesDotDotEntries() throws IOException {
        Path target = tmp.resolve("t");
        assertRefused(tar(e("../escaped", "file", "x")), target);
        assertRefused(tar(e("a/../../escaped", "file", "x")), target);
        assertRefused(tar(e("ok", "file", "x"), e("..", "dir")), target);
        assertFalse(Files.exists(tmp.resolve("escaped")));
    }

    @Test
    void refusesWritingThroughSymlinks() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        assertRefused(tar(e("link", "symlink", outside.toString()), e("link/pwned", "file", "x")), tmp.resolve("t1"));
        assertRefused(tar(e("up", "symlink", ".."), e("up/pwned", "file", "x")), tmp.resolve("t2"));
        assertRefused(tar(e("d", "dir"), e("d/l", "symlink", "/"), e("d/l/etc/pwned", "file", "x")),
                tmp.resolve("t3"));
        assertFalse(Files.exists(outside.resolve("pwned")));
        assertFalse(Files.exists(tmp.resolve("pwned")));
    }

    @Test
    void replacesAnExistingSymlinkInsteadOfFollowingIt() throws IOException {
        Path outside = Files.writeString(tmp.resolve("victim"), "original");
        Path target = Files.createDirectories(tmp.resolve("t"));
        Files.createSymbolicLink(target.resolve("f"), outside);
        RootfsTar.extract(new ByteArrayInputStream(tar(e("f", "file", "new"))), target);
        assertEquals("original", Files.readString(outside));
        assertFalse(Files.isSymbolicLink(target.resolve("f")));
        assertEquals("new", Files.readString(target.resolve("f")));
    }

    @Test
    void refusesHardLinksOutsideTheRoot() throws IOException {
        Files.writeString(tmp.resolve("secret"), "secret");
        assertRefused(tar(e("h", "hardlink", "../secret")), tmp.resolve("t"));
        assertRefused(tar(e("l", "symlink", ".."), e("h", "hardlink", "l/secret")), tmp.resolve("t2"));
    }

    @Test
    void stripsLeadingSlashAndDot() throws IOException {
        Path target = tmp.resolve("t");
        RootfsTar.extract(new ByteArrayInputStream(tar(e("./", "dir"), e("/abs/file", "file", "a"),
                e("./rel/file", "file", "b"))), target);
        assertEquals("a", Files.readString(target.resolve("abs/file")));
        assertEquals("b", Files.readString(target.resolve("rel/file")));
    }

    @Test
    void refusesDeviceNodes() throws IOException {
        IOException ex = assertThrows(IOException.class, () -> RootfsTar.extract(
                new ByteArrayInputStream(tar(e("dev/null", "chardev"))), tmp.resolve("t")));
        assertTrue(ex.getMessage().contains("unsupported"), ex.getMessage());
    }

    @Test
    void gzipIsDetectedFromContent() throws IOException {
        Path src = sampleTree();
        Path gz = tmp.resolve("rootfs.tgz");
        RootfsTar.write(src, gz);
        Path renamed = Files.move(gz, tmp.resolve("rootfs.bin"));
        RootfsTar.extract(renamed, tmp.resolve("out"));
        assertEquals("content of f\n", Files.readString(tmp.resolve("out/a/f")));
        // and the gzip header has no timestamp (reproducible)
        try (InputStream in = Files.newInputStream(renamed)) {
            byte[] header = in.readNBytes(8);
            assertArrayEquals(new byte[] {0, 0, 0, 0}, java.util.Arrays.copyOfRange(header, 4, 8));
        }
        try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(renamed))) {
            assertTrue(in.readAllBytes().length > 0);
        }
    }

    @Test
    void safeName() throws IOException {
        assertEquals(List.of("a", "b"), RootfsTar.safeName("./a//b/"));
        assertEquals(List.of(), RootfsTar.safeName("./"));
        assertThrows(IOException.class, () -> RootfsTar.safeName("a/../b"));
    }
}
