package dev.jrun.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Where jrun reports: errors go to stderr as one line, and to --log as a JSON line (runc's
 * logrus shape, which containerd's shim parses and rejects if not JSON) or a text line.
 */
final class Log {
    private final PrintStream stderr;
    private final String file;
    private final boolean json;
    private final boolean debug;

    Log(PrintStream stderr, String file, boolean json, boolean debug) {
        this.stderr = stderr;
        this.file = file == null || file.isEmpty() ? null : file;
        this.json = json;
        this.debug = debug;
    }

    /**
     * As runc: without --log the error goes to stderr as a logrus line; with --log it goes there,
     * and stderr gets the bare message (what callers that read stderr match against).
     */
    void error(String message) {
        message = dev.jrun.spec.Text.abbreviateWords(message);
        if (file == null) {
            stderr.println(text("error", message));
        } else {
            stderr.println(message);
            append("error", message);
        }
    }

    /**
     * runc refuses to run when it cannot open its log; so does jrun, before doing anything a
     * caller would then not hear about.
     */
    String unwritable() {
        if (file == null) {
            return null;
        }
        try (OutputStream out = new FileOutputStream(file, true)) {
            return null;
        } catch (IOException e) {
            String reason = e.getMessage() == null ? "" : e.getMessage();
            int paren = reason.lastIndexOf(" (");
            reason = paren >= 0 && reason.endsWith(")") ? reason.substring(paren + 2, reason.length() - 1) : reason;
            return "open " + file + ": " + reason.toLowerCase(java.util.Locale.ROOT);
        }
    }

    void warn(String message) {
        report("warning", dev.jrun.spec.Text.abbreviateWords(message));
    }

    /** Warnings and debug lines go to --log when there is one, else to stderr, as logrus lines. */
    private void report(String level, String message) {
        if (file == null) {
            stderr.println(text(level, message));
        } else {
            append(level, message);
        }
    }

    boolean debugging() {
        return debug;
    }

    void debug(String message) {
        if (debug) {
            report("debug", message);
        }
    }

    private void append(String level, String message) {
        String line = json ? "{\"level\":\"" + level + "\",\"msg\":" + quote(message) + ",\"time\":\"" + now() + "\"}"
                : text(level, message);
        try (OutputStream out = new FileOutputStream(file, true)) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            stderr.println("cannot write to log " + file + ": " + e.getMessage());
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** logrus's text form: time="..." level=... msg=..., the message quoted when it has to be. */
    static String text(String level, String message) {
        return "time=\"" + now() + "\" level=" + level + " msg=" + (bare(message) ? message : quote(message));
    }

    /** logrus writes a value without quotes when it is one word of these characters. */
    private static boolean bare(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && "-._/@^+".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A JSON string literal (also valid as logrus' quoted text value). */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
