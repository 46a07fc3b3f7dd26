package dev.jrun.runtime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** --pid-file: the host pid in decimal, written atomically so a watcher never reads half of it. */
public final class PidFile {
    private PidFile() {
    }

    public static void write(Path file, int pid) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, Integer.toString(pid));
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("write the pid file " + file + ": " + StateStore.reason(e), e);
        }
    }
}
