package dev.jrun.testbundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciImageTest {

    static final String REF = "docker.io/library/busybox:jrun";

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() throws IOException {
        FileTrees.deleteContents(tmp);
    }

    Path rootfs() throws IOException {
        Path root = tmp.resolve("rootfs");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("bin/hello"), "#!/bin/sh\necho hi\n");
        Files.setAttribute(root.resolve("bin/hello"), "unix:mode", 0755);
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("/bin/busybox"));
        return root;
    }

    static String sha256(byte[] data) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) assertInstanceOf(Map.class, o);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) assertInstanceOf(List.class, o);
    }

    /** Reads a layout (from a directory or an archive) as name -> bytes. */
    static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    static Map<String, byte[]> archiveFiles(Path tar) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.isFile()) {
                    m.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return m;
    }

    /** Checks the whole layout: every blob named by its digest, descriptors and JSON shapes. */
    void checkLayout(Map<String, byte[]> files, OciImage.Result r, List<String> cmd) throws Exception {
        assertEquals(Map.of("imageLayoutVersion", "1.0.0"),
                Json.parse(new String(files.get("oci-layout"), StandardCharsets.UTF_8)));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (f.getKey().startsWith("blobs/sha256/")) {
                assertEquals("sha256:" + f.getKey().substring("blobs/sha256/".length()), sha256(f.getValue()),
                        "blob named by its digest");
            }
        }
        assertEquals(5, files.size(), "oci-layout, index.json and three blobs: " + files.keySet());

        Map<String, Object> index = Json.parseObject(new String(files.get("index.json"), StandardCharsets.UTF_8));
        assertEquals(2L, index.get("schemaVersion"));
        assertEquals(OciImage.MEDIA_TYPE_INDEX, index.get("mediaType"));
        List<Object> manifests = list(index.get("manifests"));
        assertEquals(1, manifests.size());
        Map<String, Object> md = obj(manifests.get(0));
        assertEquals(OciImage.MEDIA_TYPE_MANIFEST, md.get("mediaType"));
        assertEquals(r.manifest().digest(), md.get("digest"));
        byte[] manifestBytes = files.get("blobs/sha256/" + r.manifest().hex());
        assertEquals((long) manifestBytes.length, md.get("size"));
        Map<String, Object> platform = obj(md.get("platform"));
        assertEquals("linux", platform.get("os"));
        assertEquals(OciImage.goArch(System.getProperty("os.arch")), platform.get("architecture"));
        Map<String, Object> ann = obj(md.get("annotations"));
        assertEquals(REF, ann.get(OciImage.ANNOTATION_IMAGE_NAME));
        assertEquals("jrun", ann.get(OciImage.ANNOTATION_REF_NAME));

        Map<String, Object> manifest = Json.parseObject(new String(manifestBytes, StandardCharsets.UTF_8));
        assertEquals(2L, manifest.get("schemaVersion"));
        assertEquals(OciImage.MEDIA_TYPE_MANIFEST, manifest.get("mediaType"));
        Map<String, Object> config = obj(manifest.get("config"));
        assertEquals(OciImage.MEDIA_TYPE_CONFIG, config.get("mediaType"));
        assertEquals(r.config().digest(), config.get("digest"));
        byte[] configBytes = files.get("blobs/sha256/" + r.config().hex());
        assertEquals((long) configBytes.length, config.get("size"));
        List<Object> layers = list(manifest.get("layers"));
        assertEquals(1, layers.size());
        Map<String, Object> layer = obj(layers.get(0));
        assertEquals(OciImage.MEDIA_TYPE_LAYER_GZIP, layer.get("mediaType"));
        assertEquals(r.layer().digest(), layer.get("digest"));
        byte[] layerBytes = files.get("blobs/sha256/" + r.layer().hex());
        assertEquals((long) layerBytes.length, layer.get("size"));

        byte[] uncompressed;
        try (InputStream in = new GzipCompressorInputStream(new java.io.ByteArrayInputStream(layerBytes))) {
            uncompressed = in.readAllBytes();
        }
        assertEquals(r.diffId(), sha256(uncompressed));

        Map<String, Object> cfg = Json.parseObject(new String(configBytes, StandardCharsets.UTF_8));
        assertEquals("linux", cfg.get("os"));
        assertEquals(platform.get("architecture"), cfg.get("architecture"));
        assertEquals("1970-01-01T00:00:00Z", cfg.get("created"));
        Map<String, Object> rootfs = obj(cfg.get("rootfs"));
        assertEquals("layers", rootfs.get("type"));
        assertEquals(List.of(r.diffId()), rootfs.get("diff_ids"));
        Map<String, Object> c = obj(cfg.get("config"));
        assertEquals(cmd, c.get("Cmd"));
        assertTrue(list(c.get("Env")).get(0).toString().startsWith("PATH="));
        assertEquals(1, list(cfg.get("history")).size());
    }

    @Test
    void layoutFromDirectory() throws Exception {
        OciImage.Result r = OciImage.builder(REF).rootfs(rootfs()).cmd("/bin/hello").writeLayout(tmp.resolve("layout"));
        checkLayout(files(tmp.resolve("layout")), r, List.of("/bin/hello"));

        // The layer is the rootfs, root-owned.
        byte[] layer = Files.readAllBytes(tmp.resolve("layout/blobs/sha256/" + r.layer().hex()));
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(
                new GzipCompressorInputStream(new java.io.ByteArrayInputStream(layer)))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), e);
            }
        }
        assertEquals(List.of("bin/", "bin/hello", "bin/sh", "etc/", "etc/passwd"), List.copyOf(entries.keySet()));
        entries.values().forEach(e -> assertEquals(0, e.getLongUserId()));
        assertEquals("/bin/busybox", entries.get("bin/sh").getLinkName());
    }

    @Test
    void archiveIsATarOfTheLayout() throws Exception {
        Path tar = tmp.resolve("image.tar");
        OciImage.Result r = OciImage.builder(REF).rootfs(rootfs()).cmd("/bin/sh").label("k", "v").writeArchive(tar);
        assertEquals(tar, r.path());
        Map<String, byte[]> files = archiveFiles(tar);
        checkLayout(files, r, List.of("/bin/sh"));
        Map<String, Object> cfg = Json.parseObject(new String(files.get("blobs/sha256/" + r.config().hex()),
                StandardCharsets.UTF_8));
        assertEquals(Map.of("k", "v"), obj(cfg.get("config")).get("Labels"));
        // no leftovers next to the archive
        try (var list = Files.list(tmp)) {
            assertEquals(List.of("image.tar", "rootfs"), list.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void sameInputSameDigests() throws Exception {
        Path root = rootfs();
        OciImage.Result a = OciImage.builder(REF).rootfs(root).writeLayout(tmp.resolve("a"));
        OciImage.Result b = OciImage.builder(REF).rootfs(root).writeLayout(tmp.resolve("b"));
        assertEquals(a.manifest(), b.manifest());
    }

    @Test
    void gzipLayerTarIsUsedAsIs() throws Exception {
        Path tgz = tmp.resolve("rootfs.tar.gz");
        RootfsTar.write(rootfs(), tgz);
        OciImage.Result r = OciImage.builder(REF).layerTar(tgz).cmd("/bin/hello").writeLayout(tmp.resolve("l"));
        assertEquals(OciImage.sha256(tgz), r.layer().digest());
        assertEquals(Files.size(tgz), r.layer().size());
        checkLayout(files(tmp.resolve("l")), r, List.of("/bin/hello"));
    }

    @Test
    void plainLayerTarIsCompressed() throws Exception {
        Path tar = tmp.resolve("rootfs.tar");
        RootfsTar.write(rootfs(), tar);
        OciImage.Result r = OciImage.builder(REF).layerTar(tar).cmd("/bin/hello").writeLayout(tmp.resolve("l"));
        assertEquals(OciImage.sha256(tar), r.diffId());
        checkLayout(files(tmp.resolve("l")), r, List.of("/bin/hello"));
    }

    @Test
    void tagsAndArchitectures() {
        assertEquals("jrun", OciImage.tagOf("docker.io/library/busybox:jrun"));
        assertEquals("latest", OciImage.tagOf("busybox"));
        assertEquals("latest", OciImage.tagOf("localhost:5000/busybox"));
        assertEquals("sha256:abc", OciImage.tagOf("busybox@sha256:abc"));
        assertEquals("amd64", OciImage.goArch("amd64"));
        assertEquals("arm64", OciImage.goArch("aarch64"));
        assertThrows(IllegalArgumentException.class, () -> OciImage.builder("has space"));
        assertThrows(IllegalStateException.class, () -> OciImage.builder(REF).writeLayout(tmp.resolve("x")));
    }

    @Test
    void jsonIsCompact() throws Exception {
        OciImage.Result r = OciImage.builder(REF).rootfs(rootfs()).writeLayout(tmp.resolve("layout"));
        String index = Files.readString(tmp.resolve("layout/index.json"));
        assertTrue(!index.contains("\n") && index.startsWith("{\"schemaVersion\":2"), index);
        assertTrue(r.manifest().size() > 0);
    }
}
