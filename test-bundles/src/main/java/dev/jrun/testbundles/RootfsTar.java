package dev.jrun.testbundles;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes a root filesystem directory to a tar archive and extracts one, keeping permission bits
 * (including setuid/setgid/sticky), symbolic links, hard links, owners and modification times.
 *
 * <p>Only directories, regular files, symbolic links and hard links are supported; device nodes,
 * fifos and sockets are refused. Extraction never follows a symbolic link: an entry whose name
 * contains {@code ..}, or whose parent path goes through a symbolic link, is refused, as is a
 * hard link whose target is outside the archive root.
 *
 * <p>Archives whose file name ends in {@code .gz} or {@code .tgz} are gzip-compressed on write;
 * on extraction, compression is detected from the content.
 */
public final class RootfsTar {

    private static final int S_IFMT = 0170000;
    private static final int PERMISSION_BITS = 07777;

    private RootfsTar() {}

    /** The owner of an archive entry. */
    public record Owner(int uid, int gid) {
        public static final Owner ROOT = new Owner(0, 0);
    }

    /**
     * Chooses the owner recorded for an entry, given its archive name (relative, with {@code /}
     * separators and no trailing slash) and the owner found on disk.
     */
    @FunctionalInterface
    public interface OwnerMapper {
        Owner map(String name, Owner onDisk);

        /** Keep the owners found on disk. */
        OwnerMapper ON_DISK = (name, onDisk) -> onDisk;

        /** Every entry root-owned, except the given names. */
        static OwnerMapper rootOwnedExcept(Map<String, Owner> exceptions) {
            Map<String, Owner> copy = Map.copyOf(exceptions);
            return (name, onDisk) -> copy.getOrDefault(name, Owner.ROOT);
        }
    }

    /**
     * Options for writing.
     *
     * @param mtime  if not null, every entry gets this modification time (reproducible archives)
     * @param owners how to choose each entry's owner
     */
    public record WriteOptions(Instant mtime, OwnerMapper owners) {
        public static final WriteOptions DEFAULT = new WriteOptions(null, OwnerMapper.ON_DISK);

        public WriteOptions {
            Objects.requireNonNull(owners, "owners");
        }

        public WriteOptions withMtime(Instant newMtime) {
            return new WriteOptions(newMtime, owners);
        }

        public WriteOptions withOwners(OwnerMapper newOwners) {
            return new WriteOptions(mtime, newOwners);
        }
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code root} to {@code tarFile} (gzip if its name ends in .gz/.tgz), atomically. */
    public static void write(Path root, Path tarFile) throws IOException {
        write(root, tarFile, WriteOptions.DEFAULT);
    }

    /** Writes {@code root} to {@code tarFile} (gzip if its name ends in .gz/.tgz), atomically. */
    public static void write(Path root, Path tarFile, WriteOptions options) throws IOException {
        Path parent = tarFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + tarFile.getFileName(), ".tmp");
        try {
            Files.setAttribute(tmp, "unix:mode", 0644);
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                if (isGzipName(tarFile)) {
                    try (OutputStream gz = gzip(file)) {
                        write(root, gz, options);
                    }
                } else {
                    write(root, file, options);
                }
            }
            Files.move(tmp, tarFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes the tree under {@code root} as an uncompressed tar stream to {@code out}, entries in
     * sorted order so the same tree always gives the same archive. The stream is finished but not
     * closed.
     */
    public static void write(Path root, OutputStream out, WriteOptions options) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("not a directory: " + root);
        }
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        Map<String, String> firstNameOfInode = new HashMap<>();
        List<Path> children = sortedChildren(root);
        for (Path child : children) {
            writeTree(root, child, tar, options, firstNameOfInode);
        }
        tar.finish();
        tar.flush();
    }

    /** A gzip stream with a zero header time, so identical input gives identical bytes. */
    static GzipCompressorOutputStream gzip(OutputStream out) throws IOException {
        GzipParameters params = new GzipParameters();
        params.setModificationTime(0);
        return new GzipCompressorOutputStream(out, params);
    }

    /** Decompresses a gzip stream (all members). */
    static InputStream gunzip(InputStream in) throws IOException {
        return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
    }

    private static void writeTree(Path root, Path path, TarArchiveOutputStream tar, WriteOptions options,
            Map<String, String> firstNameOfInode) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attrs.get("mode");
        int type = mode & S_IFMT;
        String name = root.relativize(path).toString().replace('\\', '/');
        Owner owner = options.owners().map(name,
                new Owner((Integer) attrs.get("uid"), (Integer) attrs.get("gid")));
        FileTime mtime = options.mtime() != null
                ? FileTime.from(options.mtime()) : (FileTime) attrs.get("lastModifiedTime");

        TarArchiveEntry entry;
        switch (type) {
            case 0040000 -> entry = new TarArchiveEntry(name + "/", TarConstants.LF_DIR, true);
            case 0120000 -> {
                entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
                entry.setLinkName(Files.readSymbolicLink(path).toString());
            }
            case 0100000 -> {
                String inode = attrs.get("dev") + ":" + attrs.get("ino");
                String first = (Integer) attrs.get("nlink") > 1 ? firstNameOfInode.putIfAbsent(inode, name) : null;
                if (first != null) {
                    entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
                    entry.setLinkName(first);
                } else {
                    entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
                    entry.setSize((Long) attrs.get("size"));
                }
            }
            default -> throw new IOException("unsupported file type (mode 0" + Integer.toOctalString(mode)
                    + ") in rootfs: " + path);
        }
        entry.setMode(type | (mode & PERMISSION_BITS));
        entry.setUserId(owner.uid());
        entry.setGroupId(owner.gid());
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(mtime);
        tar.putArchiveEntry(entry);
        if (type == 0100000 && !entry.isLink()) {
            try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                long copied = in.transferTo(tar);
                if (copied != entry.getSize()) {
                    throw new IOException("file changed while archiving: " + path);
                }
            }
        }
        tar.closeArchiveEntry();
        if (type == 0040000) {
            for (Path child : sortedChildren(path)) {
                writeTree(root, child, tar, options, firstNameOfInode);
            }
        }
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return children;
    }

    // ------------------------------------------------------------------ extracting

    /** Extracts {@code tarFile} (plain or gzip) into {@code target}, creating it if needed. */
    public static void extract(Path tarFile, Path target) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tarFile))) {
            extract(in, target);
        }
    }

    /** Extracts a tar stream (plain or gzip, detected from its first bytes) into {@code target}. */
    public static void extract(InputStream in, Path target) throws IOException {
        InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        InputStream raw = (b1 == 0x1f && b2 == 0x8b) ? gunzip(buffered) : buffered;
        Files.createDirectories(target);
        Path root = target.toRealPath();
        boolean canChown = isRoot();
        TarArchiveInputStream tar = new TarArchiveInputStream(raw, "UTF-8");
        TarArchiveEntry entry;
        List<DirFixup> dirs = new ArrayList<>();
        while ((entry = tar.getNextEntry()) != null) {
            List<String> parts = safeName(entry.getName());
            if (parts.isEmpty()) {
                if (entry.isDirectory()) {
                    dirs.add(new DirFixup(root, entry));
                }
                continue;
            }
            Path dest = resolveParentsNoFollow(root, parts);
            if (entry.isDirectory()) {
                if (Files.isSymbolicLink(dest) || (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)
                        && !Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS))) {
                    Files.delete(dest);
                }
                if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(dest);
                }
                dirs.add(new DirFixup(dest, entry));
                continue;
            }
            removeExisting(dest);
            if (entry.isSymbolicLink()) {
                Files.createSymbolicLink(dest, Path.of(entry.getLinkName()));
            } else if (entry.isLink()) {
                Path linkTarget = resolveParentsNoFollow(root, safeName(entry.getLinkName()));
                if (!Files.isRegularFile(linkTarget, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("hard link " + entry.getName() + " points to a missing or non-regular file: "
                            + entry.getLinkName());
                }
                Files.createLink(dest, linkTarget);
                continue; // shares the target's inode: attributes were already set
            } else if (isRegular(entry)) {
                try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    tar.transferTo(out);
                }
            } else {
                throw new IOException("unsupported tar entry type '" + (char) entry.getLinkFlag() + "': "
                        + entry.getName());
            }
            applyOwner(dest, entry, canChown);
            if (!entry.isSymbolicLink()) {
                Files.setAttribute(dest, "unix:mode", entry.getMode() & PERMISSION_BITS);
                Files.setLastModifiedTime(dest, entry.getLastModifiedTime());
            }
        }
        // Directories last and deepest first, so a read-only directory does not block its children.
        for (int i = dirs.size() - 1; i >= 0; i--) {
            DirFixup d = dirs.get(i);
            applyOwner(d.path(), d.entry(), canChown);
            Files.setAttribute(d.path(), "unix:mode", d.entry().getMode() & PERMISSION_BITS);
            Files.setLastModifiedTime(d.path(), d.entry().getLastModifiedTime());
        }
    }

    private static boolean isRegular(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG;
    }

    private record DirFixup(Path path, TarArchiveEntry entry) {}

    /**
     * Splits an entry name into components, dropping {@code .} and leading slashes; refuses a
     * {@code ..} component.
     */
    static List<String> safeName(String name) throws IOException {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IOException("refusing tar entry that escapes the target directory: " + name);
            }
            parts.add(part);
        }
        return parts;
    }

    /**
     * Resolves {@code parts} under {@code root}: every parent must be a real directory (created if
     * missing); a symbolic link in the parent chain is refused, since following it could leave the
     * root. Returns the path of the last component, which is not inspected.
     */
    private static Path resolveParentsNoFollow(Path root, List<String> parts) throws IOException {
        Path current = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            current = current.resolve(parts.get(i));
            if (Files.isSymbolicLink(current)) {
                throw new IOException("refusing tar entry under a symbolic link: " + String.join("/", parts)
                        + " (" + root.relativize(current) + " is a symbolic link)");
            }
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(current);
            } else if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("refusing tar entry " + String.join("/", parts) + ": "
                        + root.relativize(current) + " is not a directory");
            }
        }
        if (parts.isEmpty()) {
            return root;
        }
        return current.resolve(parts.get(parts.size() - 1));
    }

    private static void removeExisting(Path dest) throws IOException {
        if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.delete(dest);
            } catch (IOException e) {
                throw new FileAlreadyExistsException(dest.toString(), null,
                        "a non-empty directory is in the way of a tar entry");
            }
        } else {
            Files.deleteIfExists(dest);
        }
    }

    private static void applyOwner(Path path, TarArchiveEntry entry, boolean canChown) throws IOException {
        if (!canChown) {
            return;
        }
        Files.setAttribute(path, "unix:uid", (int) entry.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", (int) entry.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether this process runs as uid 0, and so can give extracted files their recorded owners. */
    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    static boolean isGzipName(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".gz") || name.endsWith(".tgz");
    }
}
