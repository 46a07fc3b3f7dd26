package dev.jrun.runtime.checkpoint;

import java.nio.file.Path;
import java.util.List;

/**
 * What `checkpoint` and `restore` were asked for on the command line (runc's flags), before
 * jrun adds what it knows of the container.
 *
 * @param imagePath where the images are written or read (absolute)
 * @param workPath where CRIU's log and work files go, or null for the image directory
 * @param parentPath a pre-dump's images, relative to imagePath, or null
 * @param manageCgroupsMode soft, full, strict or ignore; null for CRIU's default
 * @param emptyNs namespaces (config names) CRIU creates empty instead of restoring
 * @param pageServer ADDRESS:PORT of a page server, or null
 * @param statusFd fd CRIU writes a zero byte to once lazy pages are served, or -1
 */
public record CriuOptions(
        Path imagePath,
        Path workPath,
        String parentPath,
        boolean leaveRunning,
        boolean tcpEstablished,
        boolean tcpSkipInFlight,
        boolean linkRemap,
        boolean extUnixSk,
        boolean shellJob,
        boolean fileLocks,
        boolean preDump,
        String manageCgroupsMode,
        List<String> emptyNs,
        boolean autoDedup,
        String pageServer,
        int statusFd,
        boolean lazyPages,
        String lsmProfile,
        String lsmMountContext) {

    public CriuOptions {
        emptyNs = emptyNs == null ? List.of() : List.copyOf(emptyNs);
    }

    /** The directory CRIU writes its log to. */
    public Path logDir() {
        return workPath != null ? workPath : imagePath;
    }
}
