package dev.jrun.spec;

/**
 * Which {@code ociVersion} values jrun accepts in config.json: any SemVer version 1.0.0 up to
 * 1.3.x, including pre-releases and build metadata ({@code 1.0.2-dev}, {@code 1.1.0-rc.1}).
 * Within a major version the spec is backward compatible, so older minors are fine; a newer minor
 * may carry fields this runtime would silently ignore, so it is refused, as is any other major.
 */
public final class OciVersion {
    /** The version jrun implements and writes. */
    public static final String CURRENT = "1.3.0";
    /** The oldest version jrun accepts. */
    public static final String MIN = "1.0.0";

    private static final int MAJOR = 1;
    private static final int MAX_MINOR = 3;

    private OciVersion() {}

    public static boolean isSupported(String version) {
        return problem(version) == null;
    }

    /**
     * Why {@code version} is refused, e.g. {@code unsupported version "2.0.0" (...)}, or {@code
     * null} if it is accepted.
     */
    public static String problem(String version) {
        if (version == null || version.isEmpty()) {
            return "must be set (this runtime supports " + MIN + " to 1." + MAX_MINOR + ".x)";
        }
        long[] core = parse(version);
        if (core == null) {
            return "\"" + version + "\" is not a valid SemVer version, e.g. " + CURRENT;
        }
        if (core[0] != MAJOR || core[1] > MAX_MINOR) {
            return "unsupported version \"" + version + "\" (this runtime supports " + MIN
                    + " to 1." + MAX_MINOR + ".x)";
        }
        return null;
    }

    /** major, minor, patch of a SemVer 2.0.0 string, or {@code null} if it is not one. */
    private static long[] parse(String v) {
        int plus = v.indexOf('+');
        if (plus >= 0 && !identifiers(v.substring(plus + 1))) {
            return null;
        }
        String rest = plus >= 0 ? v.substring(0, plus) : v;
        int dash = rest.indexOf('-');
        if (dash >= 0 && !identifiers(rest.substring(dash + 1))) {
            return null;
        }
        String core = dash >= 0 ? rest.substring(0, dash) : rest;
        long[] parts = new long[3];
        int start = 0;
        for (int i = 0; i < 3; i++) {
            int end = i < 2 ? core.indexOf('.', start) : core.length();
            if (end < 0) {
                return null;
            }
            long n = number(core, start, end);
            if (n < 0) {
                return null;
            }
            parts[i] = n;
            start = end + 1;
        }
        return parts;
    }

    /** A numeric identifier: digits, no leading zero, not absurdly long. */
    private static long number(String s, int start, int end) {
        int len = end - start;
        if (len == 0 || len > 9 || (len > 1 && s.charAt(start) == '0')) {
            return -1;
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Dot-separated, non-empty identifiers of [0-9A-Za-z-]. */
    private static boolean identifiers(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || c == '-' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
