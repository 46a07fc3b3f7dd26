package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.Checks.isEmpty;
import static dev.jrun.spec.validate.JsonPath.field;

import dev.jrun.spec.model.Root;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The root filesystem. Besides the spec's "a directory MUST exist there", this refuses the paths
 * that would point the container at the host: symbolic links (runc requires the cleaned rootfs
 * path to be its own real path) and anything resolving to "/".  "." and ".." are cleaned away
 * lexically first, as runc cleans them.
 */
final class RootRules {
    private static final String PATH = field(Json.Spec.root, Json.Root.path);

    private final Findings f;

    RootRules(Findings f) {
        this.f = f;
    }

    void check(Root root, Path bundle) {
        if (root == null) {
            f.error(Json.Spec.root, "must be set");
            return;
        }
        String path = root.path();
        if (isEmpty(path)) {
            f.error(PATH, "must be set");
            return;
        }
        if (path.indexOf('\0') >= 0) {
            f.error(PATH, "must not contain a NUL byte");
            return;
        }
        Path rootfs;
        try {
            // runc resolves a relative rootfs against its working directory, the bundle as the
            // kernel reports it: already free of symbolic links.
            rootfs = path.startsWith("/")
                    ? Path.of(path).normalize()
                    : bundle.toAbsolutePath().toRealPath().resolve(path).normalize();
        } catch (IOException e) {
            f.error(PATH, "cannot resolve the bundle directory " + bundle + ": " + reason(e));
            return;
        } catch (RuntimeException e) {
            f.error(PATH, "is not a valid path");
            return;
        }
        if (!Files.exists(rootfs, LinkOption.NOFOLLOW_LINKS)) {
            f.error(PATH, "directory " + rootfs + " does not exist");
            return;
        }
        Path real;
        try {
            real = rootfs.toRealPath();
        } catch (IOException e) {
            f.error(PATH, "cannot resolve " + rootfs + ": " + reason(e));
            return;
        }
        if (real.getParent() == null) {
            f.error(PATH, "must not resolve to the host root directory");
        } else if (!real.equals(rootfs)) {
            f.error(PATH, rootfs + " must not be or pass through a symbolic link (it resolves to "
                    + real + ")");
        } else if (!Files.isDirectory(real)) {
            f.error(PATH, rootfs + " is not a directory");
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
