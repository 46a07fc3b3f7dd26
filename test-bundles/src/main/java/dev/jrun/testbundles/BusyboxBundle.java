package dev.jrun.testbundles;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.jrun.spec.DefaultSpec;
import dev.jrun.spec.model.Spec;

/**
 * Builds OCI bundles whose rootfs is Debian's static busybox plus the jrun probe.
 *
 * <p>The rootfs holds {@code /bin/busybox} with a symbolic link for every applet it lists,
 * {@code /bin/jrun-probe}, {@code /etc/passwd} and {@code /etc/group} (root, daemon, nobody, and
 * the user {@code probe} 1000:1000, member of the supplementary group {@code extra} 2000), and the
 * usual empty directories ({@code /tmp} is 1777). It is built once per (busybox, probe) pair,
 * cached as a tarball under the cache directory, and extracted for each bundle.
 *
 * <pre>{@code
 * BusyboxBundle busybox = BusyboxBundle.builder()
 *         .probe(Path.of("build/native/jrun-probe"))
 *         .cacheDir(Path.of("target/bundle-cache"))
 *         .build();
 * Bundle b = busybox.create(tmp.resolve("b1"), c -> c.args("/bin/jrun-probe", "stat", "/").hostname("box"));
 * }</pre>
 *
 * The config starts from {@link DefaultSpec#runc(boolean) DefaultSpec.runc(false)} (what
 * {@code runc spec} writes) with {@code terminal} false and args {@code ["/bin/jrun-probe"]}.
 */
public final class BusyboxBundle {

    public static final Path DEFAULT_BUSYBOX = Path.of("/bin/busybox");
    /** Where the probe lives inside the rootfs. */
    public static final String PROBE = "/bin/jrun-probe";
    public static final int PROBE_UID = 1000;
    public static final int PROBE_GID = 1000;
    /** The supplementary group {@code extra}, of which user {@code probe} is a member. */
    public static final int EXTRA_GID = 2000;

    /** Bump when the rootfs layout changes, so stale cached tarballs are not reused. */
    private static final String LAYOUT_VERSION = "jrun-busybox-rootfs-1";

    /** Every rootfs entry gets this mtime, so the same inputs give a byte-identical tarball (and image). */
    static final Instant FILE_TIME = Instant.parse("2020-01-01T00:00:00Z");

    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            daemon:x:1:1:daemon:/usr/sbin:/bin/false
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false
            probe:x:1000:1000:jrun probe:/home/probe:/bin/sh
            """;

    static final String GROUP = """
            root:x:0:
            daemon:x:1:
            tty:x:5:
            nogroup:x:65534:
            nobody:x:65534:
            probe:x:1000:
            extra:x:2000:probe
            """;

    private final Path busybox;
    private final Path probe;
    private final Path cacheDir;
    private Path tarball;

    private BusyboxBundle(Builder b) {
        this.busybox = b.busybox;
        this.probe = Objects.requireNonNull(b.probe, "probe: the path of the jrun-probe binary");
        this.cacheDir = b.cacheDir != null ? b.cacheDir
                : Path.of(System.getProperty("java.io.tmpdir"), "jrun-test-bundles");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Shorthand for {@code builder().probe(probe).build()}. */
    public static BusyboxBundle withProbe(Path probe) {
        return builder().probe(probe).build();
    }

    /** Options for {@link BusyboxBundle}. */
    public static final class Builder {
        private Path busybox = DEFAULT_BUSYBOX;
        private Path probe;
        private Path cacheDir;

        private Builder() {}

        /** The static busybox binary to install (default {@code /bin/busybox}). */
        public Builder busybox(Path path) {
            this.busybox = Objects.requireNonNull(path);
            return this;
        }

        /** The probe binary to install as {@code /bin/jrun-probe} (required). */
        public Builder probe(Path path) {
            this.probe = Objects.requireNonNull(path);
            return this;
        }

        /** Where cached rootfs tarballs go (default: {@code $java.io.tmpdir/jrun-test-bundles}). */
        public Builder cacheDir(Path dir) {
            this.cacheDir = Objects.requireNonNull(dir);
            return this;
        }

        public BusyboxBundle build() {
            return new BusyboxBundle(this);
        }
    }

    // ------------------------------------------------------------------ bundles

    /** Creates a bundle in {@code dir} (created if missing) with the default config. */
    public Bundle create(Path dir) throws IOException {
        return create(dir, c -> { });
    }

    /**
     * Creates a bundle in {@code dir}: {@code dir/rootfs} and {@code dir/config.json}, the config
     * being the default one changed by {@code edits}.
     */
    public Bundle create(Path dir, Consumer<ConfigEditor> edits) throws IOException {
        ConfigEditor editor = new ConfigEditor(defaultSpec());
        edits.accept(editor);
        return create(dir, editor.spec());
    }

    /**
     * Creates a bundle in {@code dir} with exactly this config; the rootfs goes to
     * {@code dir/rootfs} whatever {@code root.path} says.
     */
    public Bundle create(Path dir, Spec spec) throws IOException {
        Files.createDirectories(dir);
        Path rootfs = dir.resolve("rootfs");
        if (Files.exists(rootfs, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("bundle directory already has a rootfs: " + rootfs);
        }
        writeRootfs(rootfs);
        return Bundle.write(dir, spec);
    }

    /** The default bundle config: runc's default spec, not rootless, no terminal, args {@code [/bin/jrun-probe]}. */
    public static Spec defaultSpec() {
        return new ConfigEditor(DefaultSpec.runc(false)).terminal(false).args(PROBE).spec();
    }

    /** Extracts a fresh copy of the busybox rootfs into {@code rootfs}. */
    public void writeRootfs(Path rootfs) throws IOException {
        RootfsTar.extract(rootfsTarball(), rootfs);
    }

    /** An OCI image of this rootfs (default command: the probe), for containerd and podman tests. */
    public OciImage.Builder ociImage(String reference) throws IOException {
        return OciImage.builder(reference).layerTar(rootfsTarball()).cmd(PROBE);
    }

    // ------------------------------------------------------------------ the cached rootfs

    /**
     * The rootfs as a gzip tarball in the cache directory, built on first use. Entries are owned
     * by root, except {@code home/probe} (1000:1000).
     */
    public synchronized Path rootfsTarball() throws IOException {
        if (tarball != null && Files.isRegularFile(tarball)) {
            return tarball;
        }
        checkBusybox(busybox);
        checkProbe(probe);
        Path cached = cacheDir.resolve("busybox-rootfs-" + cacheKey().substring(0, 16) + ".tar.gz");
        if (!Files.isRegularFile(cached)) {
            Files.createDirectories(cacheDir);
            Path staging = Files.createTempDirectory(cacheDir, ".build-");
            try {
                Path rootfs = staging.resolve("rootfs");
                buildRootfs(rootfs);
                RootfsTar.write(rootfs, cached, new RootfsTar.WriteOptions(FILE_TIME,
                        RootfsTar.OwnerMapper.rootOwnedExcept(
                                Map.of("home/probe", new RootfsTar.Owner(PROBE_UID, PROBE_GID)))));
            } finally {
                FileTrees.delete(staging);
            }
        }
        tarball = cached;
        return cached;
    }

    /** Builds the rootfs tree in {@code rootfs} (which must not exist). */
    void buildRootfs(Path rootfs) throws IOException {
        Files.createDirectory(rootfs);
        for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "proc", "sys", "dev", "tmp", "etc",
                "root", "var", "run", "mnt", "home/probe")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        install(busybox, rootfs.resolve("bin/busybox"), 0755);
        install(probe, rootfs.resolve(PROBE.substring(1)), 0755);
        for (String applet : listApplets(busybox)) {
            Path link = rootfs.resolve(applet);
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of("/bin/busybox"));
        }
        writeText(rootfs.resolve("etc/passwd"), PASSWD, 0644);
        writeText(rootfs.resolve("etc/group"), GROUP, 0644);
        writeText(rootfs.resolve("etc/hostname"), "", 0644);
        writeText(rootfs.resolve("etc/hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost\n", 0644);
        writeText(rootfs.resolve("etc/resolv.conf"), "", 0644);
        try (var walk = Files.walk(rootfs)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setAttribute(p, "unix:mode", 0755);
                }
            }
        }
        Files.setAttribute(rootfs.resolve("tmp"), "unix:mode", 01777);
        Files.setAttribute(rootfs.resolve("root"), "unix:mode", 0700);
    }

    /** The applet paths (relative, e.g. {@code usr/bin/awk}) from {@code busybox --list-full}. */
    static List<String> listApplets(Path busybox) throws IOException {
        Process p = new ProcessBuilder(busybox.toString(), "--list-full")
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(busybox + " --list-full timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(busybox + " --list-full failed (exit " + p.exitValue() + "): " + out.strip());
        }
        List<String> applets = new ArrayList<>();
        for (String line : out.split("\n")) {
            String a = line.strip();
            while (a.startsWith("/")) {
                a = a.substring(1);
            }
            if (a.isEmpty() || a.equals("bin/busybox")) {
                continue;
            }
            RootfsTar.safeName(a); // refuses ".."
            applets.add(a);
        }
        if (applets.isEmpty()) {
            throw new IOException(busybox + " --list-full listed no applets");
        }
        return applets;
    }

    /** Refuses a missing or dynamically linked busybox, with a hint on how to get the right one. */
    static void checkBusybox(Path busybox) throws IOException {
        if (!Files.isRegularFile(busybox)) {
            throw new IOException("busybox not found at " + busybox
                    + ": install Debian's busybox-static (apt-get install busybox-static)");
        }
        if (!Elf.isElf(busybox) || Elf.hasInterpreter(busybox)) {
            throw new IOException(busybox + " is not a statically linked ELF executable (it needs a dynamic "
                    + "loader, which the busybox rootfs does not have): install busybox-static, not busybox");
        }
    }

    /** Refuses a missing probe, or one that is a dynamically linked ELF file. */
    static void checkProbe(Path probe) throws IOException {
        if (!Files.isRegularFile(probe)) {
            throw new IOException("jrun-probe not found at " + probe
                    + ": build it with gcc -static -O2 -o jrun-probe test-bundles/src/main/c/jrun-probe.c");
        }
        if (Elf.isElf(probe) && Elf.hasInterpreter(probe)) {
            throw new IOException(probe + " is dynamically linked; the busybox rootfs has no libc: "
                    + "build it with gcc -static");
        }
    }

    private String cacheKey() throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update(LAYOUT_VERSION.getBytes(StandardCharsets.UTF_8));
        for (Path f : List.of(busybox, probe)) {
            md.update((byte) 0);
            try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(f)), md)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void install(Path from, Path to, int mode) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        Files.setAttribute(to, "unix:mode", mode);
    }

    private static void writeText(Path file, String text, int mode) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setAttribute(file, "unix:mode", mode);
    }
}
