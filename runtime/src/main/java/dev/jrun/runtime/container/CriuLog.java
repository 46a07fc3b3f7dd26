package dev.jrun.runtime.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CRIU's log, for the line that says why it failed. */
final class CriuLog {
    private CriuLog() {
    }

    /**
     * Errors CRIU logs and carries on after: raising its own fd limit fails where jrun lacks
     * CAP_SYS_RESOURCE (inside a container), which matters to no dump or restore.
     */
    private static final java.util.List<String> HARMLESS = java.util.List.of("rlimit: ");

    /** The first error line that made CRIU fail, without its timestamp and source position, or null. */
    static String firstError(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
        for (String line : lines) {
            int at = line.indexOf("Error (");
            if (at >= 0) {
                String text = line.substring(at);
                int close = text.indexOf("): ");
                String reason = close >= 0 ? text.substring(close + 3).strip() : text.strip();
                if (HARMLESS.stream().noneMatch(reason::startsWith)) {
                    return reason;
                }
            }
        }
        return null;
    }
}
