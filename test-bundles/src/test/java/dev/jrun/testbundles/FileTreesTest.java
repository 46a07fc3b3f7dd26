package dev.jrun.testbundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path tmp;

    @Test
    void deletesReadOnlyTreesWithoutFollowingLinks() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "keep");
        Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(tree.resolve("f"), "x");
        Files.createSymbolicLink(tmp.resolve("tree/link"), outside);
        Files.setAttribute(tree, "unix:mode", 0500);
        Files.setAttribute(tmp.resolve("tree/a"), "unix:mode", 0000);

        FileTrees.delete(tmp.resolve("tree"));
        assertFalse(Files.exists(tmp.resolve("tree")));
        assertEquals("keep", Files.readString(outside.resolve("keep")));

        FileTrees.delete(tmp.resolve("missing")); // no error
        FileTrees.deleteContents(tmp);
        assertTrue(Files.isDirectory(tmp));
        try (var list = Files.list(tmp)) {
            assertEquals(List.of(), list.toList());
        }
    }
}
