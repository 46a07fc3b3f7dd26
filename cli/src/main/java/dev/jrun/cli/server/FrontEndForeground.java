package dev.jrun.cli.server;

import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.process.Foreground;
import dev.jrun.runtime.process.ForegroundProcess;

/**
 * A served `run` or `exec` in the foreground: the front end is the process's parent and holds
 * the caller's terminal, so it forwards the signals, proxies the tty and waits; which signals,
 * and whether there is a tty to proxy, is decided here.
 */
final class FrontEndForeground implements ForegroundProcess {
    private final FrontEnd frontEnd;
    private final Syscalls sys;
    private final int pid;
    private final int ptyMaster;

    private FrontEndForeground(FrontEnd frontEnd, Syscalls sys, int pid, int ptyMaster) {
        this.frontEnd = frontEnd;
        this.sys = sys;
        this.pid = pid;
        this.ptyMaster = ptyMaster;
    }

    /** As {@link Foreground#of}: receives the pty master now when the call proxies the tty. */
    static FrontEndForeground of(FrontEnd frontEnd, Syscalls sys, int pid, int[] consolePair) throws NativeException {
        int master = -1;
        if (consolePair != null) {
            sys.close(consolePair[1]);
            consolePair[1] = -1;
            master = Foreground.receiveMaster(sys, consolePair[0]);
            // as runc's own tty proxy: lines end in "\n"
            sys.clearOnlcr(master);
        }
        return new FrontEndForeground(frontEnd, sys, pid, master);
    }

    @Override
    public void forwardSignals() throws NativeException {
        int[] all = Foreground.forwardedSignals();
        // with a tty, SIGWINCH resizes it (the front end does that itself) instead of reaching the process
        frontEnd.forward(pid, ptyMaster < 0 ? all
                : java.util.Arrays.stream(all).filter(s -> s != Foreground.WINDOW_CHANGED).toArray());
    }

    @Override
    public void attachTerminal() throws NativeException {
        if (ptyMaster < 0) {
            return;
        }
        try {
            frontEnd.terminal(ptyMaster);
        } finally {
            // the front end has its own copy now; this one would keep the terminal open past the process
            sys.close(ptyMaster);
        }
    }

    @Override
    public int waitForExit() throws NativeException {
        return Syscalls.shellStatus(frontEnd.foreground(pid));
    }
}
