package dev.jrun.runtime.container;

import dev.jrun.spec.json.GoJson;
import dev.jrun.spec.json.JsonStyle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The containers under one {@code --root}: a 0700 directory per container holding
 * state.json (written atomically), exec.fifo while the container waits for start, the config
 * snapshot, and a lock file that serializes concurrent calls on the same id.
 */
public final class StateStore {
    public static final String STATE = "state.json";
    public static final String FIFO = "exec.fifo";
    public static final String CONFIG = "config.json";
    /** What a create has taken so far; gone once state.json exists. */
    public static final String CREATING = "creating.json";
    private static final String LOCK = "lock";
    /** Where reserve() builds a directory before renaming it into place; "~" is never part of an id. */
    private static final String SCRATCH = "~scratch";
    private static final java.nio.file.attribute.FileAttribute<?> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path root;

    public StateStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path dir(String id) {
        return root.resolve(id);
    }

    /** runc's rule for ids, which also keeps them safe as one path component. */
    public static void checkId(String id) throws JrunException {
        if (id == null || id.isEmpty()) {
            throw new JrunException("container id cannot be empty");
        }
        boolean valid = !id.equals(".") && !id.equals("..");
        for (int i = 0; valid && i < id.length(); i++) {
            valid = idChar(id.charAt(i));
        }
        if (!valid) {
            throw new JrunException("invalid container id \"" + id + "\": only [A-Za-z0-9_+.-] are allowed, and not \".\" or \"..\"");
        }
    }

    private static boolean idChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '+'
                || c == '.' || c == '-';
    }

    /**
     * Creates the container's directory; fails if the id is taken.  The lock is held on return.
     * The directory is made and locked under a scratch name first and then renamed into place,
     * so no other call ever sees it unlocked: a `delete --force` racing this create waits for it
     * instead of mistaking the new directory for one a killed create left behind.
     */
    public Lock reserve(String id) throws JrunException, IOException {
        checkId(id);
        ensureRoot();
        Path scratch = root.resolve(SCRATCH);
        sweepScratch(scratch);
        Path tmp = scratchDirectory(scratch, id);
        Lock lock = lockFile(tmp.resolve(LOCK), dir(id).toAbsolutePath(), id);
        try {
            Files.move(tmp, dir(id), StandardCopyOption.ATOMIC_MOVE);
            return lock;
        } catch (IOException e) {
            lock.close();
            remove(tmp);
            if (Files.exists(dir(id), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new JrunException("container with id exists: " + id);
            }
            throw new IOException("create the state directory " + root.resolve(dev.jrun.spec.Text.abbreviate(id)) + ": " + reason(e), e);
        } finally {
            // the root holds only containers between calls (managers and people list it)
            try {
                Files.deleteIfExists(scratch);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // another create is using it; the last one out removes it
            } catch (IOException e) {
                // harmless: the next create reuses it
            }
        }
    }

    /** A new private directory under scratch, which a concurrent create may remove between our steps. */
    private Path scratchDirectory(Path scratch, String id) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.createDirectories(scratch);
                return Files.createTempDirectory(scratch, "create-", PRIVATE);
            } catch (NoSuchFileException | java.nio.file.FileAlreadyExistsException e) {
                // scratch was removed (by the last create out) between our steps, or while
                // createDirectories looked: make it again
                if (attempt == 100) {
                    throw new IOException("create the state directory for " + dev.jrun.spec.Text.abbreviate(id)
                            + " under " + root + ": " + reason(e), e);
                }
            } catch (IOException e) {
                throw new IOException("create the state directory for " + dev.jrun.spec.Text.abbreviate(id) + " under "
                        + root + ": " + reason(e), e);
            }
        }
    }

    /**
     * Scratch directories a killed create left: a minute old and their lock free, so nobody
     * will rename them.  A younger one may be a concurrent create's between making its lock
     * file and taking the lock: it is left alone.
     */
    private static void sweepScratch(Path scratch) throws IOException {
        long youngest = System.currentTimeMillis() - 60_000;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(scratch)) {
            for (Path p : entries) {
                try {
                    if (Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).toMillis() > youngest) {
                        continue;
                    }
                } catch (NoSuchFileException e) {
                    continue; // renamed into place, or swept by another create
                }
                try (FileChannel ch = FileChannel.open(p.resolve(LOCK), StandardOpenOption.WRITE)) {
                    FileLock l = ch.tryLock();
                    if (l == null) {
                        continue;
                    }
                    l.release();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    continue; // a create of this JVM holds it
                } catch (NoSuchFileException e) {
                    // killed before its lock file was made (or already swept)
                }
                remove(p);
            }
        } catch (NoSuchFileException e) {
            // no create has run under this root yet
        }
    }

    /** What the kernel said, without the path the exception repeats. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        String m = e.getMessage();
        if (m == null || m.isEmpty()) {
            return "input/output error";
        }
        return Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private void ensureRoot() throws IOException {
        if (!Files.isDirectory(root)) {
            try {
                Files.createDirectories(root);
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException e) {
                throw new IOException("create the state root " + root + ": " + reason(e), e);
            }
        }
    }

    /** Serializes operations on one container; fails with "does not exist" if it is gone. */
    public Lock lock(String id) throws JrunException, IOException {
        checkId(id);
        if (!Files.isDirectory(dir(id))) {
            throw JrunException.notFound(id);
        }
        Lock lock = lockDir(id);
        // whoever held the lock before us may have deleted the container
        if (!Files.exists(dir(id).resolve(STATE))) {
            lock.close();
            throw JrunException.notFound(id);
        }
        return lock;
    }

    /**
     * File locks exclude other processes only; threads of one JVM (jrun used as a library)
     * are excluded by a lock per container directory first.
     */
    private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock> LOCAL =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Lock lockDir(String id) throws JrunException, IOException {
        return lockFile(dir(id).resolve(LOCK), dir(id).toAbsolutePath(), id);
    }

    private static Lock lockFile(Path file, Path key, String id) throws JrunException, IOException {
        java.util.concurrent.locks.ReentrantLock fresh = new java.util.concurrent.locks.ReentrantLock();
        java.util.concurrent.locks.ReentrantLock existing = LOCAL.putIfAbsent(key, fresh);
        java.util.concurrent.locks.ReentrantLock local = existing != null ? existing : fresh;
        local.lock();
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new Lock(ch, ch.lock(), local);
        } catch (NoSuchFileException e) {
            local.unlock();
            throw JrunException.notFound(id);
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /**
     * The lock of a container directory whether or not its state was ever written: a create
     * killed before it wrote state.json leaves such a directory, and only delete may take it.
     */
    public Lock lockAny(String id) throws JrunException, IOException {
        checkId(id);
        if (!Files.isDirectory(dir(id))) {
            throw JrunException.notFound(id);
        }
        return lockDir(id);
    }

    /** A held per-container lock. */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;
        private final java.util.concurrent.locks.ReentrantLock local;

        Lock(FileChannel channel, FileLock lock, java.util.concurrent.locks.ReentrantLock local) {
            this.channel = channel;
            this.lock = lock;
            this.local = local;
        }

        private boolean closed;

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                lock.release();
                channel.close();
            } finally {
                local.unlock();
            }
        }
    }

    public boolean exists(String id) {
        return Files.exists(dir(id).resolve(STATE));
    }

    public List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                if (Files.exists(p.resolve(STATE))) {
                    ids.add(p.getFileName().toString());
                }
            }
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + root + ": permission denied", e);
        }
        ids.sort(null);
        return ids;
    }

    /** temp file, fsync, rename: a reader sees the old state or the new, never half of one. */
    public void write(ContainerState s) throws IOException {
        Path dir = dir(s.id());
        Path tmp = dir.resolve(STATE + ".tmp");
        byte[] bytes = encode(s);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
            Files.move(tmp, dir.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IOException("write the container state " + dir.resolve(STATE) + ": " + reason(e), e);
        }
    }

    /** A file of the container's directory, written whole or not at all. */
    public void writeFile(String id, String name, byte[] bytes) throws IOException {
        Path tmp = dir(id).resolve(name + ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, dir(id).resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IOException("write " + dir(id).resolve(name) + ": " + reason(e), e);
        }
    }

    public ContainerState read(String id) throws JrunException, IOException {
        checkId(id);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir(id).resolve(STATE));
        } catch (NoSuchFileException e) {
            throw JrunException.notFound(id);
        }
        try {
            return decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new JrunException("state of container \"" + id + "\" is corrupt (" + dir(id).resolve(STATE) + "): "
                    + e.getMessage());
        }
    }

    /** Removes everything jrun kept for the container. */
    public void remove(String id) throws IOException {
        remove(dir(id));
    }

    /** Removes dir and what it holds; what another call removes meanwhile is simply gone already. */
    private static void remove(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                remove(dir);
                return;
            }
            throw e.getCause();
        } catch (NoSuchFileException e) {
            return;
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }

    /**
     * What a create in progress has taken: its cgroups (and which of them it made itself),
     * once forked, its init, and for a container without a mount namespace of its own, its
     * rootfs and the mounts that were under it before (any others there are the container's).  A create killed before state.json is written leaves this for
     * `delete --force` to undo.
     */
    public record Creating(Map<String, String> cgroupPaths, Map<String, String> newCgroupPaths,
            Map<String, String> newCgroupParents, int pid, long pidStartTime, String sharedRootfs,
            Map<String, String> hostMountsBefore) {
        public Creating {
            newCgroupParents = newCgroupParents == null ? Map.of() : Map.copyOf(newCgroupParents);
            hostMountsBefore = hostMountsBefore == null ? Map.of() : Map.copyOf(hostMountsBefore);
        }
    }

    public void writeCreating(String id, Creating c) throws IOException {
        byte[] bytes = GoJson.create(JsonStyle.COMPACT).beginObject()
                .name("cgroupPaths").value(c.cgroupPaths())
                .name("newCgroupPaths").value(c.newCgroupPaths())
                .name("newCgroupParents").value(c.newCgroupParents())
                .name("pid").value(c.pid())
                .name("pidStartTime").value(c.pidStartTime())
                .name("sharedRootfs").value(c.sharedRootfs())
                .name("hostMountsBefore").value(c.hostMountsBefore())
                .endObject().toBytes();
        writeFile(id, CREATING, bytes);
    }

    /** The record of a create that never finished, or null if it left none (or only half of one). */
    @SuppressWarnings("unchecked")
    public Creating readCreating(String id) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir(id).resolve(CREATING));
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            Map<String, Object> m = StateJson.parse(bytes);
            return new Creating((Map<String, String>) m.getOrDefault("cgroupPaths", Map.of()),
                    (Map<String, String>) m.getOrDefault("newCgroupPaths", Map.of()),
                    (Map<String, String>) m.get("newCgroupParents"),
                    ((Long) m.getOrDefault("pid", 0L)).intValue(), (Long) m.getOrDefault("pidStartTime", 0L),
                    (String) m.get("sharedRootfs"), (Map<String, String>) m.get("hostMountsBefore"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public void removeCreating(String id) throws IOException {
        Files.deleteIfExists(dir(id).resolve(CREATING));
    }

    static byte[] encode(ContainerState s) {
        GoJson g = GoJson.create(JsonStyle.COMPACT).beginObject()
                .name("id").value(s.id())
                .name("pid").value(s.pid())
                .name("pidStartTime").value(s.pidStartTime())
                .name("bundle").value(s.bundle())
                .name("rootfs").value(s.rootfs())
                .name("created").value(s.created())
                .name("owner").value(s.owner())
                .name("annotations").value(s.annotations())
                .name("cgroupPaths").value(s.cgroupPaths())
                .name("poststartHooks").value(s.poststartHooks())
                .name("poststopHooks").value(s.poststopHooks());
        if (!s.hostMounts().isEmpty()) {
            g.name("hostMounts").value(s.hostMounts());
        }
        if (s.sharedPidNamespace()) {
            g.name("sharedPidNamespace").value(true);
        }
        if (!s.cgroupParents().isEmpty()) {
            g.name("cgroupParents").value(s.cgroupParents());
        }
        return g.endObject().toBytes();
    }

    @SuppressWarnings("unchecked")
    static ContainerState decode(byte[] bytes) throws IOException {
        Map<String, Object> m = StateJson.parse(bytes);
        try {
            String id = (String) m.get("id");
            String bundle = (String) m.get("bundle");
            if (id == null || bundle == null) {
                throw new IOException("id or bundle missing");
            }
            return new ContainerState(id, ((Long) m.getOrDefault("pid", 0L)).intValue(),
                    (Long) m.getOrDefault("pidStartTime", 0L), bundle, (String) m.get("rootfs"),
                    (String) m.get("created"), (String) m.getOrDefault("owner", ""),
                    (Map<String, String>) m.get("annotations"), (Map<String, String>) m.get("cgroupPaths"),
                    Boolean.TRUE.equals(m.get("poststartHooks")), Boolean.TRUE.equals(m.get("poststopHooks")),
                    (Map<String, String>) m.get("hostMounts"), Boolean.TRUE.equals(m.get("sharedPidNamespace")),
                    (Map<String, String>) m.get("cgroupParents"));
        } catch (ClassCastException e) {
            throw new IOException("a field has the wrong type", e);
        }
    }
}
