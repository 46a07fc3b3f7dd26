package dev.jrun.testbundles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.function.Consumer;

import dev.jrun.spec.SpecWriter;
import dev.jrun.spec.json.JsonStyle;
import dev.jrun.spec.model.Spec;

/**
 * An OCI bundle on disk: a directory with {@code config.json} and (usually) {@code rootfs/}.
 *
 * @param dir  the bundle directory (what {@code --bundle} names)
 * @param spec the config as last written to {@code config.json}
 */
public record Bundle(Path dir, Spec spec) {

    public Bundle {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(spec, "spec");
    }

    /** Writes {@code spec} as {@code dir/config.json} (creating {@code dir}) and returns the bundle. */
    public static Bundle write(Path dir, Spec spec) throws IOException {
        Files.createDirectories(dir);
        writeConfig(dir.resolve("config.json"), spec);
        return new Bundle(dir, spec);
    }

    /** {@code dir/config.json}. */
    public Path configFile() {
        return dir.resolve("config.json");
    }

    /** The rootfs directory named by {@code root.path} (relative to the bundle unless absolute). */
    public Path rootfs() {
        String path = spec.root() != null && spec.root().path() != null ? spec.root().path() : "rootfs";
        return dir.resolve(path);
    }

    /** Rewrites {@code config.json} with the edits applied; returns the updated bundle. */
    public Bundle edit(Consumer<ConfigEditor> edits) throws IOException {
        ConfigEditor editor = new ConfigEditor(spec);
        edits.accept(editor);
        return write(dir, editor.spec());
    }

    /** Deletes the bundle directory and everything in it (see {@link FileTrees#delete}). */
    public void delete() throws IOException {
        FileTrees.delete(dir);
    }

    /** The text of {@code config.json} as on disk. */
    public String configJson() throws IOException {
        return Files.readString(configFile());
    }

    /** Writes a config file atomically with the spec module's writer, laid out as {@code runc spec} does. */
    static void writeConfig(Path file, Spec spec) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".config", ".json.tmp");
        try {
            Files.write(tmp, SpecWriter.write(spec, JsonStyle.TABS));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
