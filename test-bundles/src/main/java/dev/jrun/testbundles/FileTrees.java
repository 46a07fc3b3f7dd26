package dev.jrun.testbundles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** Deleting directory trees such as bundles and rootfs copies. */
public final class FileTrees {

    private FileTrees() {}

    /**
     * Deletes {@code path} and everything under it without following symbolic links; directories
     * without owner write/search permission are opened up first. A missing path is not an error.
     * (Deleting a bundle this way, rather than leaving it to JUnit's {@code @TempDir}, also avoids
     * a warning per applet link that points outside the temporary directory.)
     */
    public static void delete(Path path) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (attrs.isDirectory()) {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & 0700) != 0700) {
                Files.setAttribute(path, "unix:mode", (mode & 07777) | 0700);
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
                stream.forEach(children::add);
            }
            for (Path child : children) {
                delete(child);
            }
        }
        Files.deleteIfExists(path);
    }

    /** Deletes everything inside {@code dir}, keeping {@code dir} itself. */
    public static void deleteContents(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                delete(child);
            }
        }
    }
}
