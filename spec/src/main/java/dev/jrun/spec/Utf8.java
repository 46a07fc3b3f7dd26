package dev.jrun.spec;

import java.nio.charset.StandardCharsets;

/**
 * Turns file bytes into text the way Go's JSON decoder sees them: each byte that does not start
 * a well-formed UTF-8 sequence becomes U+FFFD on its own. Java's decoders replace whole ill-formed
 * subsequences instead, and Jackson refuses invalid UTF-8 outright, while runc accepts it inside
 * strings; matching Go keeps decode-then-encode byte-identical to runc's.
 */
final class Utf8 {
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private Utf8() {}

    static String decode(byte[] bytes) {
        int bad = firstInvalid(bytes, 0);
        if (bad < 0) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[bytes.length + 2 * (bytes.length - bad)];
        System.arraycopy(bytes, 0, out, 0, bad);
        int o = bad;
        int i = bad;
        while (i < bytes.length) {
            int n = sequenceLength(bytes, i);
            if (n == 0) {
                System.arraycopy(REPLACEMENT, 0, out, o, 3);
                o += 3;
                i++;
            } else {
                System.arraycopy(bytes, i, out, o, n);
                o += n;
                i += n;
            }
        }
        return new String(out, 0, o, StandardCharsets.UTF_8);
    }

    private static int firstInvalid(byte[] b, int from) {
        int i = from;
        while (i < b.length) {
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int n = sequenceLength(b, i);
            if (n == 0) {
                return i;
            }
            i += n;
        }
        return -1;
    }

    /** Length of the well-formed sequence starting at {@code i}, or 0 if there is none. */
    private static int sequenceLength(byte[] b, int i) {
        int b0 = b[i] & 0xFF;
        if (b0 < 0x80) {
            return 1;
        }
        int lo = 0x80;
        int hi = 0xBF;
        int n;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 3;
            if (b0 == 0xE0) {
                lo = 0xA0; // overlong
            } else if (b0 == 0xED) {
                hi = 0x9F; // UTF-16 surrogates
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 4;
            if (b0 == 0xF0) {
                lo = 0x90; // overlong
            } else if (b0 == 0xF4) {
                hi = 0x8F; // above U+10FFFF
            }
        } else {
            return 0;
        }
        if (i + n > b.length) {
            return 0;
        }
        int b1 = b[i + 1] & 0xFF;
        if (b1 < lo || b1 > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            int bk = b[i + k] & 0xFF;
            if (bk < 0x80 || bk > 0xBF) {
                return 0;
            }
        }
        return n;
    }
}
