package dev.jrun.cli.server;

import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.UnixSockets;
import java.util.ArrayList;
import java.util.List;

/**
 * The front end of one call, as the server asks it to act: it starts jrun-init (so the
 * container's processes descend from the caller, as with runc) and reaps what it started.
 * <pre>
 *   server -> front end   spawn PATH ARGC ARGV... NSLOTS SLOT...   SLOT "cK": the caller's own
 *                         fd K; "pI": the I-th fd attached; fd N of the new process is slot N
 *                         wait PID
 *                         forward PID SIGNAL...      (signals it gets go to PID from now on)
 *                         terminal                   (fd attached: the pty master it proxies,
 *                                                    in raw mode if its stdin is a tty)
 *                         foreground PID             (proxy the tty, if any, until PID exits)
 *   front end -> server   pid PID | status WAITSTATUS | ok 0 | error ERRNO
 * </pre>
 */
final class FrontEnd {
    private static final int ECHILD = 10;
    private static final int EPROTO = 71;

    private final UnixSockets sockets;
    private final int connection;
    /** What the front end started: only those are its children to reap. */
    private final java.util.Set<Integer> spawned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final int frontEndPid;

    FrontEnd(UnixSockets sockets, int connection, int frontEndPid) {
        this.sockets = sockets;
        this.connection = connection;
        this.frontEndPid = frontEndPid;
    }

    synchronized int spawn(String path, List<String> argv, int[] childFds, int callersFds) throws NativeException {
        List<String> f = new ArrayList<>();
        f.add("spawn");
        f.add(path);
        f.add(String.valueOf(argv.size()));
        f.addAll(argv);
        f.add(String.valueOf(childFds.length));
        List<Integer> attached = new ArrayList<>();
        for (int k = 0; k < childFds.length; k++) {
            if (k < callersFds) {
                f.add("c" + k);
            } else {
                f.add("p" + attached.size());
                attached.add(childFds[k]);
            }
        }
        int[] fds = new int[attached.size()];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = attached.get(i);
        }
        sockets.send(connection, Wire.encode(f.toArray(new String[0])), fds);
        int pid = answer("pid", "start jrun-init");
        spawned.add(pid);
        return pid;
    }

    /** Whether the front end is pid's parent (jrun-init forks its children with CLONE_PARENT). */
    boolean isParentOf(int pid) {
        if (spawned.contains(pid)) {
            return true;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(pid), "stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]) == frontEndPid;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** The front end's pid. */
    int pid() {
        return frontEndPid;
    }

    synchronized int waitpid(int pid) throws NativeException {
        sockets.send(connection, Wire.encode("wait", String.valueOf(pid)), new int[0]);
        return answer("status", "wait for " + pid);
    }

    /** From now on the front end sends the signals it gets (of these numbers) to pid. */
    synchronized void forward(int pid, int[] signals) throws NativeException {
        List<String> f = new ArrayList<>();
        f.add("forward");
        f.add(String.valueOf(pid));
        for (int signal : signals) {
            f.add(String.valueOf(signal));
        }
        sockets.send(connection, Wire.encode(f.toArray(new String[0])), new int[0]);
        answer("ok", "forward signals to " + pid);
    }

    /** Hands the front end the pty master to proxy between it and the caller's terminal. */
    synchronized void terminal(int ptyMaster) throws NativeException {
        sockets.send(connection, Wire.encode("terminal"), new int[] {ptyMaster});
        answer("ok", "proxy the container's terminal");
    }

    /** Waits, through the front end, for pid while it proxies the terminal; the raw wait status. */
    synchronized int foreground(int pid) throws NativeException {
        sockets.send(connection, Wire.encode("foreground", String.valueOf(pid)), new int[0]);
        return answer("status", "wait for " + pid);
    }

    private int answer(String expected, String what) throws NativeException {
        UnixSockets.Message m = sockets.receive(connection, 4096, 0);
        if (m == null) {
            throw new NativeException(what + " (the jrun front end hung up)", EPROTO);
        }
        List<String> f;
        try {
            f = Wire.fields(m.data());
        } catch (Wire.ProtocolException e) {
            throw new NativeException(what + " (" + e.getMessage() + ")", EPROTO);
        }
        if (f.size() == 2 && f.get(0).equals("error")) {
            int errno = Integer.parseInt(f.get(1));
            throw new NativeException(what, errno == 0 ? ECHILD : errno);
        }
        if (f.size() != 2 || !f.get(0).equals(expected)) {
            throw new NativeException(what + " (unexpected answer from the jrun front end)", EPROTO);
        }
        return Integer.parseInt(f.get(1));
    }
}
