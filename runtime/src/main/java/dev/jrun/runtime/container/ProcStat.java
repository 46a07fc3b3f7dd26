package dev.jrun.runtime.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The fields of /proc/PID/stat jrun relies on, read with plain file I/O. */
public record ProcStat(char state, long startTime) {

    /** null when the process does not exist. */
    public static ProcStat read(int pid) throws IOException {
        return read(Path.of("/proc", Integer.toString(pid), "stat"));
    }

    static ProcStat read(Path statFile) throws IOException {
        String stat;
        try {
            stat = new String(Files.readAllBytes(statFile), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        }
        // comm may contain spaces and parentheses; everything after the last ')' is fixed
        int close = stat.lastIndexOf(')');
        String[] f = stat.substring(close + 2).split(" ");
        // f[0] is field 3 (state); starttime is field 22
        return new ProcStat(f[0].charAt(0), Long.parseLong(f[19]));
    }

    public boolean isGone() {
        return state == 'Z' || state == 'X';
    }
}
