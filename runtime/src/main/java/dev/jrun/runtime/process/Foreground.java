package dev.jrun.runtime.process;

import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import sun.misc.Signal;

/**
 * A container process jrun waits for in the foreground (`run`, `exec` without -d): signals
 * sent to jrun are forwarded to it, and with a tty jrun proxies the terminal — raw mode on our
 * side, window size copied on start and on every SIGWINCH — as runc does.
 */
public final class Foreground implements ForegroundProcess {
    /**
     * Signals a user (or a supervisor) sends to the foreground runtime, meant for the container.
     * Not SIGPIPE, SIGSYS or SIGTRAP: those report something about jrun's own execution (a
     * write to a closed pipe), never a request for the container.
     */
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "QUIT", "USR1", "USR2", "CONT", "TSTP",
            "TTIN", "TTOU", "ALRM", "PWR", "URG", "VTALRM", "PROF", "WINCH", "XCPU", "XFSZ", "IO");

    /** SIGWINCH: with a tty it resizes the tty rather than reaching the process. */
    public static final int WINDOW_CHANGED = new Signal("WINCH").getNumber();

    private final Syscalls sys;
    private final int pid;
    private final int ptyMaster;
    private byte[] savedTerminal;

    /** @param ptyMaster the container's pty master when jrun proxies the tty, else -1 */
    public Foreground(Syscalls sys, int pid, int ptyMaster) {
        this.sys = sys;
        this.pid = pid;
        this.ptyMaster = ptyMaster;
    }

    /** The numbers of the signals forwarded to the process (SIGWINCH too: with a tty it resizes it instead). */
    public static int[] forwardedSignals() {
        return FORWARDED.stream().mapToInt(name -> new Signal(name).getNumber()).toArray();
    }

    @Override
    public void forwardSignals() {
        // anonymous classes rather than method references: each lambda costs a bootstrap on
        // every run and exec, which start a fresh JVM
        sun.misc.SignalHandler handler = new sun.misc.SignalHandler() {
            @Override
            public void handle(Signal signal) {
                onSignal(signal);
            }
        };
        for (String name : FORWARDED) {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException e) {
                // the JVM reserves this one (e.g. QUIT without -Xrs): it cannot be forwarded
            }
        }
    }

    private void onSignal(Signal signal) {
        if (signal.getName().equals("WINCH") && ptyMaster >= 0) {
            copyWindowSize();
            return;
        }
        try {
            sys.kill(pid, signal.getNumber());
        } catch (NativeException e) {
            // the process is already gone; the wait will see it
        }
    }

    private void copyWindowSize() {
        int[] size = sys.windowSize(0);
        if (size != null) {
            try {
                sys.setWindowSize(ptyMaster, size[0], size[1]);
            } catch (NativeException e) {
                // the container closed its terminal
            }
        }
    }

    @Override
    public void attachTerminal() throws NativeException {
        if (ptyMaster < 0) {
            return;
        }
        if (sys.isatty(0)) {
            savedTerminal = sys.makeRaw(0);
            copyWindowSize();
        }
        Thread in = new Thread(new Runnable() {
            @Override
            public void run() {
                pumpStdin();
            }
        }, "jrun-stdin");
        in.setDaemon(true);
        in.start();
    }

    private void pumpStdin() {
        byte[] buf = new byte[8192];
        try (InputStream stdin = new FileInputStream(FileDescriptor.in)) {
            int n;
            while ((n = stdin.read(buf)) > 0) {
                sys.writeAll(ptyMaster, buf, 0, n);
            }
        } catch (IOException | NativeException e) {
            // stdin closed or the container's terminal went away
        }
    }

    /** Copies the container's terminal output to our stdout until it closes. */
    private void pumpOutput() {
        byte[] buf = new byte[8192];
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        try {
            int n;
            while ((n = sys.read(ptyMaster, buf, 0, buf.length)) > 0) {
                stdout.write(buf, 0, n);
                stdout.flush();
            }
        } catch (IOException | NativeException e) {
            // EIO once the last holder of the pty peer has exited
        }
    }

    @Override
    public int waitForExit() throws NativeException {
        Thread out = null;
        if (ptyMaster >= 0) {
            out = new Thread(new Runnable() {
                @Override
                public void run() {
                    pumpOutput();
                }
            }, "jrun-stdout");
            out.start();
        }
        int status = sys.waitpid(pid, false);
        if (out != null) {
            try {
                out.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        restoreTerminal();
        return Syscalls.shellStatus(status);
    }

    public void restoreTerminal() {
        if (savedTerminal != null) {
            sys.restoreTerminal(0, savedTerminal);
            savedTerminal = null;
        }
    }

    /**
     * The foreground process, with the tty jrun proxies when it made a console socket pair
     * itself: jrun closes the executor's end and receives the pty master on its own.
     *
     * @param consolePair our end [0] and the executor's [1], or null without a proxied tty;
     *     the executor's end is closed and set to -1 here
     */
    public static Foreground of(Syscalls sys, int pid, int[] consolePair) throws NativeException {
        int master = -1;
        if (consolePair != null) {
            sys.close(consolePair[1]);
            consolePair[1] = -1;
            master = receiveMaster(sys, consolePair[0]);
            // as runc's own tty proxy: lines end in "\n", which scripts reading the output expect
            sys.clearOnlcr(master);
        }
        return new Foreground(sys, pid, master);
    }

    /** Receives the pty master the executor sends over the console socket pair. */
    public static int receiveMaster(Syscalls sys, int socket) throws NativeException {
        byte[] name = new byte[128];
        Syscalls.Received r = sys.receive(socket, name, 0, name.length);
        if (r.fd() < 0) {
            throw new NativeException("receive the console from jrun-init", 71 /* EPROTO */);
        }
        return r.fd();
    }
}
