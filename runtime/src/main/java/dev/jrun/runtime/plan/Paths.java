package dev.jrun.runtime.plan;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** Lexical path handling for container paths; the executor resolves them safely inside the rootfs. */
final class Paths {
    private Paths() {
    }

    /** An absolute, clean path: no empty, "." or ".." components (".." stops at /), as Go's filepath.Clean. */
    static String clean(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : (path == null ? "" : path).split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** The path relative to the rootfs, as the executor takes it ("" is the rootfs itself). */
    static String inRoot(String path) {
        return clean(path).substring(1);
    }

    /** A bind source: relative sources are relative to the bundle. */
    static String source(Path bundle, String source) {
        if (source == null || source.isEmpty()) {
            return bundle.toString();
        }
        return source.startsWith("/") ? source : bundle.resolve(source).normalize().toString();
    }
}
