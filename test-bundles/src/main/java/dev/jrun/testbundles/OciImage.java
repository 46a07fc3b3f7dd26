package dev.jrun.testbundles;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;


/**
 * Builds a minimal single-layer OCI image layout (image-spec v1: {@code oci-layout},
 * {@code index.json}, and the manifest, config and gzip layer as sha256 blobs), as a directory or
 * as a tar archive that {@code ctr image import} and {@code podman load} accept.
 *
 * <pre>{@code
 * OciImage.Result r = OciImage.builder("docker.io/library/busybox:jrun")
 *         .layerTar(busybox.rootfsTarball())
 *         .cmd("/bin/jrun-probe")
 *         .writeArchive(dir.resolve("busybox-oci.tar"));
 * }</pre>
 *
 * The image name is recorded in the index as {@code io.containerd.image.name} (which containerd
 * and podman both prefer) and its tag as {@code org.opencontainers.image.ref.name}.
 */
public final class OciImage {

    public static final String MEDIA_TYPE_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String MEDIA_TYPE_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String MEDIA_TYPE_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String MEDIA_TYPE_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String ANNOTATION_IMAGE_NAME = "io.containerd.image.name";
    public static final String ANNOTATION_REF_NAME = "org.opencontainers.image.ref.name";

    private static final JsonFactory JSON = new JsonFactory();

    private OciImage() {}

    /** Starts an image named {@code reference}, e.g. {@code docker.io/library/busybox:jrun}. */
    public static Builder builder(String reference) {
        return new Builder(reference);
    }

    /** A content descriptor: media type, {@code sha256:…} digest and size in bytes. */
    public record Descriptor(String mediaType, String digest, long size) {
        /** The hex part of the digest (the blob's file name under blobs/sha256). */
        public String hex() {
            return digest.substring(digest.indexOf(':') + 1);
        }
    }

    /**
     * What was written.
     *
     * @param path     the layout directory or the archive file
     * @param manifest the manifest descriptor (as listed in index.json)
     * @param config   the image config descriptor
     * @param layer    the gzip layer descriptor
     * @param diffId   the digest of the uncompressed layer tar (the config's rootfs.diff_ids[0])
     */
    public record Result(Path path, String reference, Descriptor manifest, Descriptor config, Descriptor layer,
            String diffId) {}

    /** Collects the image's content and configuration; write with {@link #writeLayout} or {@link #writeArchive}. */
    public static final class Builder {
        private final String reference;
        private Path rootfsDir;
        private RootfsTar.WriteOptions rootfsOptions;
        private Path layerTar;
        private List<String> cmd;
        private List<String> entrypoint;
        private List<String> env = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        private String workingDir = "/";
        private String user;
        private String architecture = goArch(System.getProperty("os.arch"));
        private String os = "linux";
        private Instant created = Instant.EPOCH;
        private final Map<String, String> labels = new LinkedHashMap<>();

        private Builder(String reference) {
            this.reference = Objects.requireNonNull(reference, "reference");
            if (reference.isBlank() || reference.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("invalid image reference: '" + reference + "'");
            }
        }

        /** The layer is this directory, archived with every entry owned by root. */
        public Builder rootfs(Path dir) {
            return rootfs(dir, RootfsTar.WriteOptions.DEFAULT.withOwners(RootfsTar.OwnerMapper.rootOwnedExcept(Map.of())));
        }

        /** The layer is this directory, archived with the given options. */
        public Builder rootfs(Path dir, RootfsTar.WriteOptions options) {
            this.rootfsDir = Objects.requireNonNull(dir);
            this.rootfsOptions = Objects.requireNonNull(options);
            this.layerTar = null;
            return this;
        }

        /**
         * The layer is an existing rootfs tarball (plain or gzip, e.g. {@link BusyboxBundle#rootfsTarball()});
         * a gzip file is used byte for byte.
         */
        public Builder layerTar(Path tarFile) {
            this.layerTar = Objects.requireNonNull(tarFile);
            this.rootfsDir = null;
            return this;
        }

        public Builder cmd(String... args) {
            this.cmd = List.of(args);
            return this;
        }

        public Builder entrypoint(String... args) {
            this.entrypoint = List.of(args);
            return this;
        }

        public Builder env(String... vars) {
            this.env = List.of(vars);
            return this;
        }

        public Builder workingDir(String dir) {
            this.workingDir = dir;
            return this;
        }

        public Builder user(String u) {
            this.user = u;
            return this;
        }

        public Builder architecture(String arch) {
            this.architecture = Objects.requireNonNull(arch);
            return this;
        }

        public Builder os(String o) {
            this.os = Objects.requireNonNull(o);
            return this;
        }

        public Builder created(Instant when) {
            this.created = Objects.requireNonNull(when);
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        /** Writes the OCI image layout into {@code dir} (created if needed). */
        public Result writeLayout(Path dir) throws IOException {
            if (rootfsDir == null && layerTar == null) {
                throw new IllegalStateException("no layer: call rootfs(dir) or layerTar(file)");
            }
            Path blobs = dir.resolve("blobs").resolve("sha256");
            Files.createDirectories(blobs);

            Path tmp = Files.createTempFile(blobs, ".layer", ".tmp");
            String diffId;
            Descriptor layer;
            try {
                diffId = writeLayer(tmp);
                Files.setAttribute(tmp, "unix:mode", 0644);
                String digest = sha256(tmp);
                layer = new Descriptor(MEDIA_TYPE_LAYER_GZIP, digest, Files.size(tmp));
                Files.move(tmp, blobs.resolve(layer.hex()), StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }

            Descriptor config = writeBlob(blobs, MEDIA_TYPE_CONFIG, configJson(diffId));
            Descriptor manifest = writeBlob(blobs, MEDIA_TYPE_MANIFEST, manifestJson(config, layer));
            Files.write(dir.resolve("index.json"), indexJson(manifest));
            Files.write(dir.resolve("oci-layout"), json(g -> {
                g.writeStartObject();
                g.writeStringField("imageLayoutVersion", "1.0.0");
                g.writeEndObject();
            }));
            return new Result(dir, reference, manifest, config, layer, diffId);
        }

        /** Writes the layout as an (uncompressed) tar archive, for {@code ctr image import} / {@code podman load}. */
        public Result writeArchive(Path tarFile) throws IOException {
            Path parent = tarFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path layoutDir = Files.createTempDirectory(parent, ".oci-layout");
            try {
                Result r = writeLayout(layoutDir);
                RootfsTar.write(layoutDir, tarFile, new RootfsTar.WriteOptions(created,
                        RootfsTar.OwnerMapper.rootOwnedExcept(Map.of())));
                return new Result(tarFile, r.reference(), r.manifest(), r.config(), r.layer(), r.diffId());
            } finally {
                FileTrees.delete(layoutDir);
            }
        }

        /** Writes the gzip layer to {@code out}; returns the diff id (digest of the uncompressed tar). */
        private String writeLayer(Path out) throws IOException {
            if (rootfsDir != null) {
                MessageDigest tarDigest = sha256();
                try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out));
                        OutputStream gz = RootfsTar.gzip(file);
                        DigestOutputStream tar = new DigestOutputStream(gz, tarDigest)) {
                    RootfsTar.write(rootfsDir, tar, rootfsOptions);
                }
                return "sha256:" + HexFormat.of().formatHex(tarDigest.digest());
            }
            boolean gzipped;
            try (InputStream in = Files.newInputStream(layerTar)) {
                gzipped = in.read() == 0x1f && in.read() == 0x8b;
            }
            MessageDigest tarDigest = sha256();
            if (gzipped) {
                Files.copy(layerTar, out, StandardCopyOption.REPLACE_EXISTING);
                try (InputStream in = new DigestInputStream(RootfsTar.gunzip(
                        new BufferedInputStream(Files.newInputStream(layerTar))), tarDigest)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            } else {
                try (InputStream in = new DigestInputStream(Files.newInputStream(layerTar), tarDigest);
                        OutputStream file = new BufferedOutputStream(Files.newOutputStream(out));
                        OutputStream gz = RootfsTar.gzip(file)) {
                    in.transferTo(gz);
                }
            }
            return "sha256:" + HexFormat.of().formatHex(tarDigest.digest());
        }

        private byte[] configJson(String diffId) throws IOException {
            String createdText = DateTimeFormatter.ISO_INSTANT.format(created);
            return json(g -> {
                g.writeStartObject();
                g.writeStringField("created", createdText);
                g.writeStringField("architecture", architecture);
                g.writeStringField("os", os);
                g.writeObjectFieldStart("config");
                if (user != null) {
                    g.writeStringField("User", user);
                }
                writeStrings(g, "Env", env);
                writeStrings(g, "Entrypoint", entrypoint);
                writeStrings(g, "Cmd", cmd);
                if (workingDir != null) {
                    g.writeStringField("WorkingDir", workingDir);
                }
                if (!labels.isEmpty()) {
                    g.writeObjectFieldStart("Labels");
                    for (Map.Entry<String, String> e : labels.entrySet()) {
                        g.writeStringField(e.getKey(), e.getValue());
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeObjectFieldStart("rootfs");
                g.writeStringField("type", "layers");
                writeStrings(g, "diff_ids", List.of(diffId));
                g.writeEndObject();
                g.writeArrayFieldStart("history");
                g.writeStartObject();
                g.writeStringField("created", createdText);
                g.writeStringField("created_by", "jrun test-bundles OciImage");
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            });
        }

        private byte[] manifestJson(Descriptor config, Descriptor layer) throws IOException {
            return json(g -> {
                g.writeStartObject();
                g.writeNumberField("schemaVersion", 2);
                g.writeStringField("mediaType", MEDIA_TYPE_MANIFEST);
                g.writeFieldName("config");
                writeDescriptor(g, config);
                g.writeArrayFieldStart("layers");
                writeDescriptor(g, layer);
                g.writeEndArray();
                g.writeEndObject();
            });
        }

        private byte[] indexJson(Descriptor manifest) throws IOException {
            return json(g -> {
                g.writeStartObject();
                g.writeNumberField("schemaVersion", 2);
                g.writeStringField("mediaType", MEDIA_TYPE_INDEX);
                g.writeArrayFieldStart("manifests");
                g.writeStartObject();
                g.writeStringField("mediaType", manifest.mediaType());
                g.writeStringField("digest", manifest.digest());
                g.writeNumberField("size", manifest.size());
                g.writeObjectFieldStart("platform");
                g.writeStringField("architecture", architecture);
                g.writeStringField("os", os);
                g.writeEndObject();
                g.writeObjectFieldStart("annotations");
                g.writeStringField(ANNOTATION_IMAGE_NAME, reference);
                g.writeStringField(ANNOTATION_REF_NAME, tagOf(reference));
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            });
        }
    }

    /** The tag of a reference ({@code latest} when it has none); a digest reference keeps its digest. */
    static String tagOf(String reference) {
        int at = reference.indexOf('@');
        if (at >= 0) {
            return reference.substring(at + 1);
        }
        int slash = reference.lastIndexOf('/');
        int colon = reference.lastIndexOf(':');
        return colon > slash ? reference.substring(colon + 1) : "latest";
    }

    /** The Go/OCI name of a Java {@code os.arch}. */
    static String goArch(String javaArch) {
        String a = javaArch == null ? "" : javaArch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            case "arm" -> "arm";
            default -> a;
        };
    }

    private static Descriptor writeBlob(Path blobs, String mediaType, byte[] content) throws IOException {
        String digest = "sha256:" + HexFormat.of().formatHex(sha256().digest(content));
        Descriptor d = new Descriptor(mediaType, digest, content.length);
        Files.write(blobs.resolve(d.hex()), content);
        return d;
    }

    private static void writeDescriptor(JsonGenerator g, Descriptor d) throws IOException {
        g.writeStartObject();
        g.writeStringField("mediaType", d.mediaType());
        g.writeStringField("digest", d.digest());
        g.writeNumberField("size", d.size());
        g.writeEndObject();
    }

    private static void writeStrings(JsonGenerator g, String field, List<String> values) throws IOException {
        if (values == null) {
            return;
        }
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    @FunctionalInterface
    private interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] json(JsonWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writer.write(g);
        }
        return out.toByteArray();
    }

    /** {@code sha256:<hex>} of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file)), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
