package dev.jrun.testbundles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes an image as a {@code docker save} archive, the only format docker 20.10's
 * {@code docker load} reads (it ignores an OCI layout's {@code index.json}).
 *
 * <p>The archive is the OCI layout that {@link OciImage} writes plus docker's
 * {@code manifest.json}, which names the config and layer blobs by their paths inside the
 * archive and tags the image. Docker decompresses the gzip layer itself and checks it against
 * the config's {@code rootfs.diff_ids}.
 */
public final class DockerArchive {

    private DockerArchive() {}

    /**
     * Writes {@code image} to {@code tarFile} (uncompressed tar), tagged {@code repoTag} (e.g.
     * {@code docker.io/library/busybox:jrun}).
     */
    public static OciImage.Result write(OciImage.Builder image, String repoTag, Path tarFile) throws IOException {
        Path parent = tarFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path layoutDir = Files.createTempDirectory(parent, ".docker-archive");
        try {
            OciImage.Result r = image.writeLayout(layoutDir);
            Files.write(layoutDir.resolve("manifest.json"), manifestJson(r, repoTag));
            RootfsTar.write(layoutDir, tarFile, new RootfsTar.WriteOptions(Instant.EPOCH,
                    RootfsTar.OwnerMapper.rootOwnedExcept(Map.of())));
            return new OciImage.Result(tarFile, r.reference(), r.manifest(), r.config(), r.layer(), r.diffId());
        } finally {
            FileTrees.delete(layoutDir);
        }
    }

    /** docker's manifest.json: {@code [{"Config": …, "RepoTags": […], "Layers": […]}]}. */
    static byte[] manifestJson(OciImage.Result r, String repoTag) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartArray();
            g.writeStartObject();
            g.writeStringField("Config", "blobs/sha256/" + r.config().hex());
            g.writeArrayFieldStart("RepoTags");
            g.writeString(repoTag);
            g.writeEndArray();
            g.writeArrayFieldStart("Layers");
            g.writeString("blobs/sha256/" + r.layer().hex());
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
        }
        return out.toByteArray();
    }
}
