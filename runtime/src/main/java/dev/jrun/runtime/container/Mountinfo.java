package dev.jrun.runtime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Lookups in /proc/self/mountinfo. */
final class Mountinfo {
    private Mountinfo() {
    }

    /** The mount point of the mount that holds path (the longest mount point that is a prefix). */
    static String mountPointOf(Path path) throws IOException {
        Path real = path.toRealPath();
        String best = "/";
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mp = line.split(" ")[4].replace("\\040", " ");
            if (real.startsWith(mp) && mp.length() > best.length()) {
                best = mp;
            }
        }
        return best;
    }
}
