package dev.jrun.cli.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the server for one (build, uid, state root, mount namespace, user namespace) listens.
 * The front end computes the same name (packaging/jrun-front.c); both must change together.
 */
public final class ServerKey {
    private ServerKey() {
    }

    /**
     * A directory only uid can enter (the front end refuses it otherwise): $JRUN_SERVER_DIR,
     * else /run/jrun-server for root, else $XDG_RUNTIME_DIR/jrun-server or /tmp/jrun-server-UID.
     */
    public static Path directory(int uid, String chosen, String xdgRuntimeDir) {
        if (chosen != null && chosen.startsWith("/")) {
            return Path.of(chosen);
        }
        if (uid == 0) {
            return Path.of("/run/jrun-server");
        }
        if (xdgRuntimeDir != null && xdgRuntimeDir.startsWith("/")) {
            return Path.of(xdgRuntimeDir, "jrun-server");
        }
        return Path.of("/tmp/jrun-server-" + uid);
    }

    /** The socket's file name: short enough for sun_path with any of the directories above. */
    public static String socketName(String build, String root, long mountNs, long userNs) {
        return build + "-" + String.format("%016x", fnv1a(root + "\0" + mountNs + "\0" + userNs)) + ".sock";
    }

    /** 64-bit FNV-1a: stable, and trivial to compute the same way in C. */
    static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
