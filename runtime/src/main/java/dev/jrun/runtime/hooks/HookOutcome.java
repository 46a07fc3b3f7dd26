package dev.jrun.runtime.hooks;

/**
 * How a hook that did not succeed ended, in runc's words: callers and people grep for them.
 * Both runners report through this: {@link HookRunner} for the hooks of the runtime's
 * namespaces, and jrun-init (whose report the parent turns into one of these) for those that
 * run in the container.
 */
public record HookOutcome(How how, long value, String stdout, String stderr) {

    /** value is the exit status, the signal, the timeout in seconds, or the errno of a failed start. */
    public enum How {
        EXITED, SIGNALED, TIMED_OUT, NOT_STARTED;

        /** The number jrun-init reports it by (its MSG_HOOK_FAILED payload). */
        public static How of(int code) {
            return code >= 1 && code <= values().length ? values()[code - 1] : EXITED;
        }
    }

    /** "error running prestart hook #0: exit status 3, stdout: ..., stderr: ..." */
    public String message(String kind, int index, String path) {
        return message(kind + " hook #" + index, path);
    }

    /** @param name the hook as runc names it, "prestart hook #0" */
    public String message(String name, String path) {
        return "error running " + name + ": " + describe(path);
    }

    String describe(String path) {
        switch (how) {
            case TIMED_OUT:
                return "hook ran past specified timeout of " + value + ".0s";
            case NOT_STARTED:
                return "fork/exec " + path + ": " + dev.jrun.runtime.linux.Errno.describe((int) value);
            case SIGNALED:
                return "signal: " + signalName((int) value) + output();
            default:
                return "exit status " + value + output();
        }
    }

    private String output() {
        return ", stdout: " + stdout.strip() + ", stderr: " + stderr.strip();
    }

    /** Go's names for signals, which runc's messages carry. */
    static String signalName(int signal) {
        switch (signal) {
            case 1: return "hangup";
            case 2: return "interrupt";
            case 3: return "quit";
            case 4: return "illegal instruction";
            case 5: return "trace/breakpoint trap";
            case 6: return "aborted";
            case 7: return "bus error";
            case 8: return "floating point exception";
            case 9: return "killed";
            case 10: return "user defined signal 1";
            case 11: return "segmentation fault";
            case 12: return "user defined signal 2";
            case 13: return "broken pipe";
            case 14: return "alarm clock";
            case 15: return "terminated";
            case 31: return "bad system call";
            default: return "signal " + signal;
        }
    }
}
