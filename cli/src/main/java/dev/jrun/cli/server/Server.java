package dev.jrun.cli.server;

import dev.jrun.cli.Main;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.linux.UnixSockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The jrun server: a JVM that stays warm and runs calls for jrun's front end (the small C
 * program installed as bin/jrun) over a unix socket, so a call costs no JVM start.  One server
 * serves one uid, one state root, one mount and user namespace and one build; a request from
 * anywhere else is sent back to run in-process.  It exits after an idle time.
 *
 * <p>Started by the front end as {@code Server SOCKET ROOT BUILD}, with the lock the front end
 * took on SOCKET.lock inherited as fd $JRUN_SERVER_LOCK_FD: holding it (until this process
 * ends) tells other front ends a server is here or on its way.
 */
public final class Server {
    /**
     * Calls the server runs. create's, run's and exec's processes are started by the front
     * end, so they descend from the caller, and it waits for them in the foreground. events
     * (it runs until the container ends), checkpoint and restore (CRIU's children), spec and
     * validate (no container: a JVM start is all they cost) run in-process.
     */
    static final Set<String> SERVED = Set.of("create", "run", "exec", "state", "list", "start", "kill", "delete",
            "pause", "resume", "ps", "update", "features");
    /** Calls that change nothing, so the front end may run them again if the server dies. */
    static final Set<String> RETRYABLE = Set.of("state", "list", "ps", "features");

    private static final int POLL_MILLIS = 250;
    /**
     * How long a server that only its adopter's other children kept going stays after the
     * last call: a manager's next call (delete after the container's exit) comes within it.
     */
    static final long ADOPTED_GRACE_MILLIS = 1000;

    private final UnixSockets sockets;
    private final Syscalls sys;
    private final Path socket;
    private final Path root;
    private final String build;
    private final long idleMillis;
    private final int uid;
    private final String mountNs;
    private final String userNs;
    private final PrintStream log;
    private final Adoption adoption;
    private final long started = System.currentTimeMillis();

    private int active;
    private long requests;
    private long lastActivity = System.currentTimeMillis();
    private boolean stopping;

    Server(UnixSockets sockets, Syscalls sys, Path socket, Path root, String build, long idleMillis, PrintStream log)
            throws IOException {
        this(sockets, sys, socket, root, build, idleMillis, log, Adoption.NONE);
    }

    Server(UnixSockets sockets, Syscalls sys, Path socket, Path root, String build, long idleMillis, PrintStream log,
            Adoption adoption) throws IOException {
        this.adoption = adoption;
        this.sockets = sockets;
        this.sys = sys;
        this.socket = socket;
        this.root = root;
        this.build = build;
        this.idleMillis = idleMillis;
        this.uid = sys.getuid();
        this.mountNs = namespace("self", "mnt");
        this.userNs = namespace("self", "user");
        this.log = log;
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: Server SOCKET ROOT BUILD (started by jrun's front end)");
            System.exit(2);
        }
        Path socket = Path.of(args[0]);
        Path root = Path.of(args[1]).normalize();
        PrintStream log = openLog(socket);
        try {
            UnixSockets sockets = UnixSockets.get();
            String lockFd = System.getenv("JRUN_SERVER_LOCK_FD");
            if (lockFd != null) {
                // held for life, never passed on to a hook or ps
                sockets.closeOnExec(Integer.parseInt(lockFd));
            }
            if (Syscalls.get().getuid() == 0) {
                ServerCgroup.leaveCallerCgroup(log);
            }
            Server server = new Server(sockets, Syscalls.get(), socket, root, args[2], idleMillis(), log,
                    Adoption.ofThisProcess());
            server.warmUp();
            server.serve();
            removeLockAndLog(socket, lockFd, log);
        } catch (IOException | NativeException | RuntimeException e) {
            log(log, "stopped: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * A server that ends cleanly leaves nothing in the server directory: its socket is gone
     * already, and its lock and log go now (a log is kept only when the server failed).  The
     * lock file is removed while it is still held, and only if it is the one held: a front end
     * that locks a file checks it is still the one at that path before starting a server.
     */
    private static void removeLockAndLog(Path socket, String lockFd, PrintStream log) {
        Path lock = Path.of(socket + ".lock");
        try {
            if (lockFd != null && Files.readAttributes(Path.of("/proc/self/fd", lockFd),
                    java.nio.file.attribute.BasicFileAttributes.class).fileKey().equals(
                    Files.readAttributes(lock, java.nio.file.attribute.BasicFileAttributes.class,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey())) {
                Files.delete(lock);
            }
            log.close();
            Files.deleteIfExists(Path.of(socket + ".log"));
        } catch (IOException e) {
            // another server's now, or already gone
        }
    }

    /** JRUN_SERVER_IDLE: seconds without a call before the server exits (default 60). */
    static long idleMillis() {
        String v = System.getenv("JRUN_SERVER_IDLE");
        try {
            return v == null ? 60_000 : Math.max(1, Long.parseLong(v.trim())) * 1000;
        } catch (NumberFormatException e) {
            return 60_000;
        }
    }

    /**
     * The server's log, SOCKET.log beside its socket: not in the state root, which holds only
     * containers (managers check it is empty) and may be a mount the server must not keep busy.
     */
    private static PrintStream openLog(Path socket) {
        try {
            return new PrintStream(Files.newOutputStream(Path.of(socket + ".log"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new PrintStream(OutputStream.nullOutputStream());
        }
    }

    static void log(PrintStream log, String message) {
        log.println(Instant.now() + " [" + ProcessHandle.current().pid() + "] " + message);
    }

    /**
     * Runs the calls it will serve a few times on nothing, before listening: the first calls
     * then cost no class loading or interpretation.  They only read (an unknown id, the list).
     */
    void warmUp() {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        String r = root.toString();
        Syscalls.preload();
        for (int i = 0; i < 10; i++) {
            Main.serve(new String[] {"--root", r, "list", "--format", "json"}, Path.of("/"), InputStream.nullInputStream(),
                    null, nowhere, nowhere);
            Main.serve(new String[] {"--root", r, "state", "~no-such-container"}, Path.of("/"),
                    InputStream.nullInputStream(), null, nowhere, nowhere);
            Main.serve(new String[] {"--root", r, "--log", "/dev/null", "--log-format", "json", "kill",
                    "~no-such-container", "KILL"}, Path.of("/"), InputStream.nullInputStream(), null, nowhere, nowhere);
            Main.serve(new String[] {"--root", r, "delete", "--force", "~no-such-container"}, Path.of("/"),
                    InputStream.nullInputStream(), null, nowhere, nowhere);
        }
    }

    void serve() throws IOException, NativeException {
        // the front end took the lock before starting us: a socket file here is a dead server's
        Files.deleteIfExists(socket);
        int listener = sockets.listen(socket.toString());
        Object key = Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        log(log, "serving " + root + " on " + socket + " (build " + build + ")");
        String leaving = null;
        while (true) {
            boolean ready = false;
            if (listener >= 0) {
                ready = sys.pollIn(new int[] {listener}, POLL_MILLIS)[0];
            } else {
                sleep(POLL_MILLIS / 5);
            }
            synchronized (this) {
                if (stopping && listener >= 0) {
                    // callers from now on, and those queued, run in-process (or find a successor)
                    closeListener(listener, key);
                    listener = -1;
                    ready = false;
                }
                long idle = System.currentTimeMillis() - lastActivity;
                if (!ready && active == 0) {
                    if (stopping) {
                        leaving = "stopped on request";
                    } else if (idle > idleMillis) {
                        leaving = "idle for " + idleMillis / 1000 + " s: exiting";
                    } else if (idle > ADOPTED_GRACE_MILLIS && adoption.adopterHasOnlyUs()) {
                        leaving = "the subreaper that adopted the server has no other child: exiting, so it can end";
                    }
                }
                if (leaving != null) {
                    break;
                }
            }
            if (!ready) {
                continue;
            }
            int connection;
            try {
                connection = sockets.accept(listener);
            } catch (NativeException e) {
                log(log, "accept: " + e.getMessage());
                continue;
            }
            synchronized (this) {
                active++;
                requests++;
                lastActivity = System.currentTimeMillis();
            }
            Thread t = new Thread(new Runnable() {
                @Override
                public void run() {
                    try {
                        handle(connection);
                    } finally {
                        sys.close(connection);
                        synchronized (Server.this) {
                            active--;
                            lastActivity = System.currentTimeMillis();
                        }
                    }
                }
            }, "jrun-request");
            t.setDaemon(true);
            t.start();
        }
        if (listener >= 0) {
            closeListener(listener, key);
        }
        log(log, leaving);
    }

    /**
     * New callers find no socket (and start their own server, or run in-process); ones already
     * queued on the listener see it close before they are accepted and run in-process.
     */
    private void closeListener(int listener, Object key) {
        try {
            if (key.equals(Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).fileKey())) {
                Files.delete(socket);
            }
        } catch (IOException e) {
            // someone else's socket now, or already gone
        }
        sys.close(listener);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void handle(int connection) {
        int[] fds = new int[0];
        try {
            UnixSockets.Credentials peer = sockets.peer(connection);
            UnixSockets.Message message = sockets.receive(connection, Wire.MAX_BYTES, Wire.MAX_FDS);
            if (message == null) {
                return;
            }
            fds = message.fds();
            String refusal = refusal(peer);
            if (refusal != null) {
                log(log, "refused a call from pid " + peer.pid() + ": " + refusal);
                sockets.send(connection, Wire.fallback(refusal), new int[0]);
                return;
            }
            Wire.Request request = Wire.decodeRequest(message.data());
            if (request.callerFds().length != fds.length) {
                throw new Wire.ProtocolException(
                        "the request names " + request.callerFds().length + " fds but carries " + fds.length);
            }
            String reason = reasonNotToServe(request);
            if (reason != null) {
                sockets.send(connection, Wire.fallback(reason), new int[0]);
                return;
            }
            String[] argv = request.argv().subList(1, request.argv().size()).toArray(new String[0]);
            String sub = Main.subcommandAndRoot(argv)[0];
            sockets.send(connection, Wire.accepted(RETRYABLE.contains(sub)), new int[0]);
            int status = run(sub, argv, request, fds, connection, peer.pid());
            closeAll(fds);
            fds = new int[0];
            boolean rehome;
            synchronized (this) {
                rehome = !stopping && adoption.bySubreaper();
            }
            sockets.send(connection, rehome ? Wire.exitAndRehome(status) : Wire.exit(status), new int[0]);
        } catch (Wire.ProtocolException e) {
            log(log, "bad request: " + e.getMessage());
            try {
                sockets.send(connection, Wire.fallback("bad request: " + e.getMessage()), new int[0]);
            } catch (NativeException e2) {
                // the front end is gone
            }
        } catch (NativeException | RuntimeException e) {
            log(log, "request failed: " + e);
        } finally {
            closeAll(fds);
        }
    }

    /** Why this peer may not use this server, or null. */
    String refusal(UnixSockets.Credentials peer) {
        if (peer.uid() != uid) {
            return "the jrun server of uid " + uid + " does not serve uid " + peer.uid();
        }
        try {
            if (!namespace(String.valueOf(peer.pid()), "mnt").equals(mountNs)
                    || !namespace(String.valueOf(peer.pid()), "user").equals(userNs)) {
                return "the caller is in another mount or user namespace than the jrun server";
            }
        } catch (IOException e) {
            return "cannot read the caller's namespaces: " + e.getMessage();
        }
        return null;
    }

    /** Why a well-formed request is sent back to run in-process, or null to serve it. */
    String reasonNotToServe(Wire.Request request) {
        if (!request.build().equals(build)) {
            return "the jrun server is build " + build + ", the caller " + request.build();
        }
        if (request.argv().isEmpty()) {
            return "no arguments";
        }
        String[] argv = request.argv().subList(1, request.argv().size()).toArray(new String[0]);
        String[] subAndRoot = Main.subcommandAndRoot(argv);
        Path requested = Path.of(request.cwd()).resolve(subAndRoot[1] == null ? "/run/jrun" : subAndRoot[1]).normalize();
        if (!requested.equals(root)) {
            return "the jrun server serves the state root " + root + ", not " + requested;
        }
        boolean version = subAndRoot[0].isEmpty() && (List.of(argv).contains("--version") || List.of(argv).contains("-v"));
        if ((subAndRoot[0].equals("server") || version) && !List.of(argv).contains("--help")
                && !List.of(argv).contains("-h")) {
            return null;
        }
        if (!SERVED.contains(subAndRoot[0]) || List.of(argv).contains("--help")
                || List.of(argv).contains("-h")) {
            return "not served by the jrun server yet";
        }
        return null;
    }

    private int run(String sub, String[] argv, Wire.Request request, int[] fds, int connection, int frontEndPid) {
        int in = callerFd(request, fds, 0);
        int out = callerFd(request, fds, 1);
        int err = callerFd(request, fds, 2);
        PrintStream stdout = new PrintStream(new FdOutput(sys, out), false, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(new FdOutput(sys, err), true, StandardCharsets.UTF_8);
        try {
            if (sub.equals("server")) {
                return serverCommand(argv, frontEndPid, stdout, stderr);
            }
            dev.jrun.runtime.container.Host host = sub.equals("create") || sub.equals("run") || sub.equals("exec")
                    ? new FrontEndHost(new FrontEnd(sockets, connection, frontEndPid)) : null;
            return Main.serve(argv, Path.of(request.cwd()), new FdInput(sys, in), host, stdout, stderr);
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    /** `jrun server status|stop` as the server answers it. */
    private int serverCommand(String[] argv, int callerPid, PrintStream out, PrintStream err) {
        List<String> words = List.of(argv);
        String action = words.indexOf("server") + 1 < words.size() ? words.get(words.indexOf("server") + 1) : "status";
        switch (action) {
            case "status":
                out.print(status());
                return 0;
            case "stop":
                synchronized (this) {
                    stopping = true;
                }
                out.println("jrun server " + ProcessHandle.current().pid() + " stops once its running calls end");
                return 0;
            case "handover":
                // from a successor a front end started (Adoption): only one outside every subreaper
                if (!adoption.bySubreaper() || ProcessHandle.of(callerPid).flatMap(ProcessHandle::parent)
                        .map(p -> p.pid() != 1).orElse(true)) {
                    err.println("jrun server: no hand-over: this server is not adopted by a subreaper, or the caller "
                            + "is not a child of init");
                    return 1;
                }
                synchronized (this) {
                    stopping = true;
                }
                log(log, "handing over to pid " + callerPid + ", outside every subreaper");
                return 0;
            default:
                err.println("jrun server: unknown action \"" + action + "\": status or stop");
                return 1;
        }
    }

    synchronized String status() {
        return "pid: " + ProcessHandle.current().pid() + "\n"
                + "build: " + build + "\n"
                + "root: " + root + "\n"
                + "socket: " + socket + "\n"
                + "uptime: " + (System.currentTimeMillis() - started) / 1000 + " s\n"
                + "calls: " + requests + "\n"
                + "running: " + (active - 1) + "\n"
                + "idle exit: " + idleMillis / 1000 + " s\n"
                + "rss: " + rssKib() + " KiB\n";
    }

    private static String rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return line.substring(6).trim().replace(" kB", "");
                }
            }
        } catch (IOException e) {
            // reported as unknown
        }
        return "unknown";
    }

    private static int callerFd(Wire.Request request, int[] fds, int number) {
        for (int i = 0; i < request.callerFds().length; i++) {
            if (request.callerFds()[i] == number) {
                return fds[i];
            }
        }
        return -1;
    }

    private void closeAll(int[] fds) {
        for (int fd : fds) {
            sys.close(fd);
        }
    }

    /** The namespace a process is in, as its /proc/PID/ns link reads ("mnt:[4026531840]"). */
    static String namespace(String pid, String kind) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc", pid, "ns", kind)).toString();
    }

    /** Output to one of the caller's fds; a closed one (-1) swallows it, as /dev/null would. */
    static final class FdOutput extends OutputStream {
        private final Syscalls sys;
        private final int fd;

        FdOutput(Syscalls sys, int fd) {
            this.sys = sys;
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (fd < 0 || len == 0) {
                return;
            }
            try {
                sys.writeAll(fd, off == 0 ? b : java.util.Arrays.copyOfRange(b, off, off + len), 0, len);
            } catch (NativeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    /** The caller's stdin; a closed one reads as empty. */
    static final class FdInput extends InputStream {
        private final Syscalls sys;
        private final int fd;

        FdInput(Syscalls sys, int fd) {
            this.sys = sys;
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (fd < 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            try {
                int n = sys.read(fd, b, off, len);
                return n <= 0 ? -1 : n;
            } catch (NativeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
