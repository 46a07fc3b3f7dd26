package dev.jrun.runtime.hooks;

import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.spec.model.Hook;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs the hooks that belong to the runtime namespace (prestart, createRuntime, poststart,
 * poststop) from the Java side: state JSON on stdin, the hook's own argv[0] (dockerd dispatches
 * on it, so ProcessBuilder will not do), and its timeout enforced.
 */
public final class HookRunner {
    /** Output kept for the error message; a hook that writes more is cut short there. */
    private static final int MAX_OUTPUT = 4096;

    private final Syscalls sys;

    public HookRunner(Syscalls sys) {
        this.sys = sys;
    }

    /** Runs the hooks in order and stops at the first failure. */
    public void runAll(String kind, List<Hook> hooks, byte[] state) throws HookException {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            run(kind, i, hooks.get(i), state);
        }
    }

    /** Runs every hook; failures are returned as warnings, as the spec asks for poststart and poststop. */
    public List<String> runAllWarn(String kind, List<Hook> hooks, byte[] state) {
        List<String> warnings = new java.util.ArrayList<>();
        if (hooks == null) {
            return warnings;
        }
        for (int i = 0; i < hooks.size(); i++) {
            try {
                run(kind, i, hooks.get(i), state);
            } catch (HookException e) {
                warnings.add(e.getMessage());
            }
        }
        return warnings;
    }

    void run(String kind, int index, Hook hook, byte[] state) throws HookException {
        HookOutcome failed = execute(hook, state);
        if (failed != null) {
            throw new HookException(failed.message(kind, index, hook.path()));
        }
    }

    /** Runs one hook to its end (or its timeout); null when it succeeded. */
    private HookOutcome execute(Hook hook, byte[] state) {
        int[] in = null;
        int[] out = null;
        int[] err = null;
        int pid = -1;
        try {
            in = sys.pipe();
            out = sys.pipe();
            err = sys.pipe();
            List<String> argv = hook.args() == null || hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
            try {
                pid = sys.spawn(hook.path(), argv, hook.env() == null ? List.of() : hook.env(),
                        new int[] {in[0], out[1], err[1]});
            } catch (NativeException e) {
                return new HookOutcome(HookOutcome.How.NOT_STARTED, e.errno(), "", "");
            }
            sys.close(in[0]);
            in[0] = -1;
            sys.close(out[1]);
            out[1] = -1;
            sys.close(err[1]);
            err[1] = -1;
            try {
                sys.writeAll(in[1], state, 0, state.length);
            } catch (NativeException e) {
                // a hook that does not read its stdin is not a failure (EPIPE)
            }
            sys.close(in[1]);
            in[1] = -1;
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            long deadline = hook.timeout() == null || hook.timeout() <= 0 ? Long.MAX_VALUE
                    : System.nanoTime() + hook.timeout() * 1_000_000_000L;
            byte[] buf = new byte[4096];
            int[] streams = {out[0], err[0]};
            ByteArrayOutputStream[] sinks = {stdout, stderr};
            while (streams[0] >= 0 || streams[1] >= 0) {
                long left = deadline == Long.MAX_VALUE ? -1 : Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
                if (left == 0) {
                    sys.kill(pid, 9);
                    sys.waitpid(pid, false);
                    pid = -1;
                    return new HookOutcome(HookOutcome.How.TIMED_OUT, hook.timeout(), "", "");
                }
                int[] open = streams[0] < 0 ? new int[] {streams[1]} : streams[1] < 0 ? new int[] {streams[0]} : streams;
                boolean[] ready = sys.pollIn(open, (int) Math.min(left, Integer.MAX_VALUE));
                for (int k = 0; k < open.length; k++) {
                    if (!ready[k]) {
                        continue;
                    }
                    int which = open[k] == streams[0] ? 0 : 1;
                    int n = sys.read(open[k], buf, 0, buf.length);
                    if (n <= 0) {
                        streams[which] = -1;
                    } else if (sinks[which].size() < MAX_OUTPUT) {
                        sinks[which].write(buf, 0, Math.min(n, MAX_OUTPUT - sinks[which].size()));
                    }
                }
            }
            int status = sys.waitpid(pid, false);
            pid = -1;
            if (Syscalls.exited(status) && Syscalls.exitCode(status) == 0) {
                return null;
            }
            return new HookOutcome(Syscalls.exited(status) ? HookOutcome.How.EXITED : HookOutcome.How.SIGNALED,
                    Syscalls.exited(status) ? Syscalls.exitCode(status) : Syscalls.termSignal(status),
                    stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } catch (NativeException e) {
            return new HookOutcome(HookOutcome.How.NOT_STARTED, e.errno(), "", "");
        } finally {
            if (pid > 0) {
                try {
                    sys.kill(pid, 9);
                    sys.waitpid(pid, false);
                } catch (NativeException ignored) {
                    // already gone
                }
            }
            closeAll(in);
            closeAll(out);
            closeAll(err);
        }
    }

    private void closeAll(int[] fds) {
        if (fds != null) {
            for (int fd : fds) {
                sys.close(fd);
            }
        }
    }
}
