package dev.jrun.cli;

import java.util.Locale;
import java.util.Map;

/** Signal names and numbers as `kill` accepts them: 9, KILL, SIGKILL, sigkill. */
final class Signals {
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7),
            Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11),
            Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
            Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23),
            Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27),
            Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("POLL", 29), Map.entry("PWR", 30),
            Map.entry("SYS", 31));
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;

    private Signals() {
    }

    static int parse(String text) throws IllegalArgumentException {
        String s = text.trim();
        if (!s.isEmpty() && Character.isDigit(s.charAt(0))) {
            try {
                int n = Integer.parseInt(s);
                // 0 sends nothing: it asks whether the process exists, as kill(1) and runc allow
                if (n >= 0 && n <= SIGRTMAX) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the error
            }
            throw new IllegalArgumentException("invalid signal number: " + text);
        }
        String name = s.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        Integer n = NUMBERS.get(name);
        if (n != null) {
            return n;
        }
        if (name.startsWith("RTMIN") || name.startsWith("RTMAX")) {
            int base = name.startsWith("RTMIN") ? SIGRTMIN : SIGRTMAX;
            String off = name.substring(5);
            try {
                int sig = off.isEmpty() ? base : base + Integer.parseInt(off);
                if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
                    return sig;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException("unknown signal \"" + text + "\"");
    }
}
