package dev.jrun.runtime.process;

import dev.jrun.runtime.linux.NativeException;

/**
 * A container process a call waits for in the foreground (`run`, `exec` without -d), as runc
 * waits for it: the caller's signals go to it, a tty is proxied, and the call ends with its
 * status.  {@link Foreground} does it in this process; the jrun server has the caller's front
 * end do it, since the process is the front end's child and the caller's terminal its own.
 */
public interface ForegroundProcess {
    /** Installs the signal forwarding; call before the process is released so no signal is lost. */
    void forwardSignals() throws NativeException;

    /** Starts the tty proxy (if any); call once the process runs. */
    void attachTerminal() throws NativeException;

    /** Waits for the process and returns its shell-style status (128+N for a signal). */
    int waitForExit() throws NativeException;
}
