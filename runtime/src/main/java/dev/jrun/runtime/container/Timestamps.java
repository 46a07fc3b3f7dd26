package dev.jrun.runtime.container;

import java.time.Instant;

/** Times as Go's time.Time marshals them: RFC 3339 in UTC with up to nanoseconds, no trailing zeros. */
final class Timestamps {
    private Timestamps() {
    }

    static String now() {
        return format(Instant.now());
    }

    static String format(Instant t) {
        // Instant.toString already drops trailing zeros in groups of three; Go drops each one.
        String s = t.toString();
        int dot = s.indexOf('.');
        if (dot < 0) {
            return s;
        }
        int end = s.length() - 1; // the 'Z'
        int last = end - 1;
        while (last > dot && s.charAt(last) == '0') {
            last--;
        }
        return (last == dot ? s.substring(0, dot) : s.substring(0, last + 1)) + "Z";
    }
}
