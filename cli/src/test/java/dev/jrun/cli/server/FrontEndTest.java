package dev.jrun.cli.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.linux.UnixSockets;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front end's side of the protocol (cli/src/main/c/jrun.c), against a scripted server:
 * what it sends, and that it exits with the server's status or runs the call in-process
 * (lib/jrun/jrun-direct, a script here that notes how it was called) whenever it must.
 */
class FrontEndTest {
    private static final String BUILD = "testbuild";

    @TempDir
    Path tmp;
    private Path prefix;
    private Path serverDir;
    private Path marks;
    private Path root;

    @BeforeEach
    void install() throws Exception {
        prefix = tmp.resolve("prefix");
        Path lib = Files.createDirectories(prefix.resolve("lib/jrun"));
        Files.createDirectories(prefix.resolve("bin"));
        Files.copy(frontEnd(), prefix.resolve("bin/jrun"));
        Files.writeString(lib.resolve("build-id"), BUILD + "\n");
        marks = tmp.resolve("marks");
        Path direct = lib.resolve("jrun-direct");
        Files.writeString(direct, "#!/bin/sh\necho \"direct main=${JRUN_MAIN_CLASS:-} lock=${JRUN_SERVER_LOCK_FD:+yes} $*\" >> "
                + marks + "\n");
        direct.toFile().setExecutable(true);
        serverDir = Files.createDirectory(tmp.resolve("srv"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        root = tmp.resolve("root");
    }

    /** build/native/jrun when `make` built it, else compiled here. */
    private Path frontEnd() throws Exception {
        Path built = Path.of("..", "build", "native", "jrun");
        Path source = Path.of("src", "main", "c", "jrun.c");
        if (Files.isExecutable(built) && Files.getLastModifiedTime(built).compareTo(Files.getLastModifiedTime(source)) >= 0) {
            return built;
        }
        Path out = tmp.resolve("jrun-front");
        Process p;
        try {
            p = new ProcessBuilder("cc", "-O2", "-o", out.toString(), source.toString()).inheritIO().start();
        } catch (IOException e) {
            Assumptions.abort("no C compiler to build the front end: " + e.getMessage());
            return null;
        }
        assertEquals(0, p.waitFor());
        return out;
    }

    private Path socket() throws IOException {
        return serverDir.resolve(ServerKey.socketName(BUILD, root.toString(), inode("mnt"), inode("user")));
    }

    private static long inode(String kind) throws IOException {
        String link = Server.namespace("self", kind);
        return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
    }

    private record Run(int status, String out, String err, String marks) {
    }

    private Run frontEnd(String env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(prefix.resolve("bin/jrun").toString(), "--root",
                root.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().put("JRUN_SERVER_DIR", serverDir.toString());
        pb.environment().remove("JRUN_NO_SERVER");
        if (env != null) {
            pb.environment().put(env.split("=", 2)[0], env.split("=", 2)[1]);
        }
        pb.redirectInput(new File("/dev/null"));
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the front end did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        // a server the front end started (our script) may still be writing its line
        Thread.sleep(50);
        return new Run(p.exitValue(), out, err, Files.exists(marks) ? Files.readString(marks) : "");
    }

    /** A one-call server: receives the request, then sends these replies and hangs up. */
    private Thread server(AtomicReference<Wire.Request> seen, byte[]... replies) throws Exception {
        UnixSockets s = UnixSockets.get();
        Files.deleteIfExists(socket());
        int listener = s.listen(socket().toString());
        Thread t = new Thread(() -> {
            try {
                int c = s.accept(listener);
                assertEquals(dev.jrun.runtime.linux.Syscalls.get().getuid(), s.peer(c).uid());
                UnixSockets.Message m = s.receive(c, Wire.MAX_BYTES, Wire.MAX_FDS);
                Wire.Request r = Wire.decodeRequest(m.data());
                seen.set(r);
                int out = -1;
                for (int i = 0; i < r.callerFds().length; i++) {
                    if (r.callerFds()[i] == 1) {
                        out = m.fds()[i];
                    }
                }
                if (out >= 0) {
                    dev.jrun.runtime.linux.Syscalls.get().writeAll(out, "served\n".getBytes(StandardCharsets.UTF_8), 0, 7);
                }
                for (int fd : m.fds()) {
                    dev.jrun.runtime.linux.Syscalls.get().close(fd);
                }
                for (byte[] reply : replies) {
                    s.send(c, reply, new int[0]);
                }
                dev.jrun.runtime.linux.Syscalls.get().close(c);
            } catch (Exception e) {
                throw new RuntimeException(e);
            } finally {
                dev.jrun.runtime.linux.Syscalls.get().close(listener);
            }
        });
        t.start();
        return t;
    }

    @Test
    void exitsWithTheServersStatusAndSendsItsCall() throws Exception {
        AtomicReference<Wire.Request> seen = new AtomicReference<>();
        Thread t = server(seen, Wire.accepted(false), Wire.exit(7));
        Run r = frontEnd("JRUN_TEST_VAR=x y", "state", "c1");
        t.join(10_000);
        assertEquals(7, r.status(), r.err());
        assertEquals("served\n", r.out());
        assertEquals("", r.marks(), "nothing ran in-process");
        Wire.Request req = seen.get();
        assertEquals(BUILD, req.build());
        assertEquals(tmp.toRealPath().toString(), req.cwd());
        assertEquals(List.of("--root", root.toString(), "state", "c1"), req.argv().subList(1, req.argv().size()));
        assertTrue(req.env().contains("JRUN_TEST_VAR=x y"), req.env().toString());
        int[] first = java.util.Arrays.copyOf(req.callerFds(), 3);
        java.util.Arrays.sort(req.callerFds());
        assertArrayEquals(new int[] {0, 1, 2}, java.util.Arrays.copyOf(req.callerFds(), 3), java.util.Arrays.toString(first));
    }

    @Test
    void runsInProcessWhenSentBack() throws Exception {
        Thread t = server(new AtomicReference<>(), Wire.fallback("not served"));
        Run r = frontEnd(null, "create", "c1");
        t.join(10_000);
        assertEquals(0, r.status(), r.err());
        assertEquals("direct main= lock= --root " + root + " create c1\n", r.marks());
    }

    @Test
    void runsInProcessWhenTheServerDiesBeforeAccepting() throws Exception {
        Thread t = server(new AtomicReference<>());
        Run r = frontEnd(null, "start", "c1");
        t.join(10_000);
        assertEquals("direct main= lock= --root " + root + " start c1\n", r.marks());
    }

    @Test
    void retriesOnlyWhatTheServerSaidIsSafe() throws Exception {
        Thread t = server(new AtomicReference<>(), Wire.accepted(true));
        Run r = frontEnd(null, "state", "c1");
        t.join(10_000);
        assertEquals("direct main= lock= --root " + root + " state c1\n", r.marks());

        Files.deleteIfExists(marks);
        t = server(new AtomicReference<>(), Wire.accepted(false));
        r = frontEnd(null, "delete", "c1");
        t.join(10_000);
        assertEquals(1, r.status());
        assertTrue(r.err().contains("the jrun server stopped during this call"), r.err());
        assertEquals("", r.marks());
    }

    @Test
    void offSwitchRunsInProcess() throws Exception {
        Run r = frontEnd("JRUN_NO_SERVER=1", "state", "c1");
        assertEquals("direct main= lock= --root " + root + " state c1\n", r.marks());
        assertFalse(Files.exists(socket()));
    }

    /** --no-server among the global flags (after a valued one too), never after the subcommand. */
    @Test
    void noServerFlagRunsInProcess() throws Exception {
        Run r = frontEnd(null, "--log-format", "json", "--no-server", "state", "c1");
        assertEquals("direct main= lock= --root " + root + " --log-format json --no-server state c1\n", r.marks());
        assertFalse(Files.exists(socket()), "no server was started");
        AtomicReference<Wire.Request> seen = new AtomicReference<>();
        Thread t = server(seen, Wire.accepted(false), Wire.exit(0));
        r = frontEnd(null, "exec", "c1", "prog", "--no-server");
        t.join(10_000);
        assertEquals(0, r.status(), r.err());
        assertTrue(seen.get().argv().contains("--no-server"), "a word of the container's command is passed on");
    }

    @Test
    void withoutServerStartsOneAndRunsInProcess() throws Exception {
        Run r = frontEnd(null, "state", "c1");
        assertEquals(0, r.status(), r.err());
        for (int i = 0; i < 100 && Files.readString(marks).lines().count() < 2; i++) {
            Thread.sleep(50);
        }
        List<String> lines = Files.readAllLines(marks);
        assertTrue(lines.contains("direct main= lock= --root " + root + " state c1"), lines.toString());
        assertTrue(lines.contains("direct main=dev.jrun.cli.server.Server lock=yes " + socket() + " " + root + " " + BUILD),
                lines.toString());
    }

    /** `server stop` (or status) with no server running runs in-process and starts none. */
    @Test
    void theServerCommandStartsNoServer() throws Exception {
        Run r = frontEnd(null, "server", "stop");
        Thread.sleep(600);
        assertEquals("direct main= lock= --root " + root + " server stop\n", Files.readString(marks));
    }

    @Test
    void refusesAServerDirectoryOthersCanEnter() throws Exception {
        Files.setPosixFilePermissions(serverDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        AtomicReference<Wire.Request> seen = new AtomicReference<>();
        int listener = UnixSockets.get().listen(socket().toString());
        try {
            Run r = frontEnd(null, "state", "c1");
            assertEquals("direct main= lock= --root " + root + " state c1\n", r.marks());
            assertEquals(null, seen.get());
        } finally {
            dev.jrun.runtime.linux.Syscalls.get().close(listener);
        }
    }

    /** The front end starts what the server asks, as its own child, and reaps it when asked. */
    @Test
    void spawnsAndReapsForTheServer() throws Exception {
        dev.jrun.runtime.linux.Syscalls sys = dev.jrun.runtime.linux.Syscalls.get();
        AtomicReference<Run> run = new AtomicReference<>();
        String result = scripted((s, c, frontEnd) -> {
            int[] pipe = sys.pipe();
            s.send(c, Wire.encode("spawn", "/bin/sh", "3", "sh", "-c", "echo spawned >&3; exit 5", "4", "c0", "c1",
                    "c2", "p0"), new int[] {pipe[1]});
            sys.close(pipe[1]);
            List<String> pid = answer(s, c);
            String stat = Files.readString(Path.of("/proc", pid.get(1), "stat"));
            int ppid = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
            s.send(c, Wire.encode("wait", pid.get(1)), new int[0]);
            List<String> status = answer(s, c);
            byte[] buf = new byte[64];
            int n = sys.read(pipe[0], buf, 0, buf.length);
            s.send(c, Wire.encode("spawn", "/nonexistent", "1", "x", "1", "p7"), new int[0]);
            List<String> bad = answer(s, c);
            s.send(c, Wire.exit(0), new int[0]);
            return pid.get(0) + " parent=" + (ppid == frontEnd) + " " + status + " "
                    + new String(buf, 0, n, StandardCharsets.UTF_8).trim() + " " + bad;
        }, run, "create", "c1");
        assertEquals(0, run.get().status(), run.get().err());
        assertEquals("pid parent=true [status, " + (5 << 8) + "] spawned [error, 71]", result);
    }

    /** One scripted conversation after the request: the server's side, given the connection and the front end's pid. */
    @FunctionalInterface
    private interface Script {
        String run(UnixSockets s, int connection, int frontEndPid) throws Exception;
    }

    private String scripted(Script script, AtomicReference<Run> run, String... args) throws Exception {
        UnixSockets s = UnixSockets.get();
        dev.jrun.runtime.linux.Syscalls sys = dev.jrun.runtime.linux.Syscalls.get();
        Files.deleteIfExists(socket());
        int listener = s.listen(socket().toString());
        AtomicReference<String> result = new AtomicReference<>("not run");
        Thread t = new Thread(() -> {
            try {
                int c = s.accept(listener);
                int frontEnd = s.peer(c).pid();
                for (int fd : s.receive(c, Wire.MAX_BYTES, Wire.MAX_FDS).fds()) {
                    sys.close(fd);
                }
                s.send(c, Wire.accepted(false), new int[0]);
                result.set(script.run(s, c, frontEnd));
                sys.close(c);
            } catch (Exception e) {
                result.set(e.toString());
            } finally {
                sys.close(listener);
            }
        });
        t.start();
        run.set(frontEnd(null, args));
        t.join(10_000);
        return result.get();
    }

    private static List<String> answer(UnixSockets s, int c) throws Exception {
        return Wire.fields(s.receive(c, 4096, 0).data());
    }

    /** A foreground process: the signals the server names reach it from the front end, which waits for it. */
    @Test
    void forwardsTheNamedSignalsToTheForegroundProcess() throws Exception {
        AtomicReference<Run> run = new AtomicReference<>();
        String result = scripted((s, c, frontEnd) -> {
            s.send(c, Wire.encode("spawn", "/bin/sh", "3", "sh", "-c",
                    "trap 'exit 7' TERM; while :; do sleep 0.05; done", "3", "c0", "c1", "c2"), new int[0]);
            String pid = answer(s, c).get(1);
            s.send(c, Wire.encode("forward", pid, "15", "10"), new int[0]);
            List<String> ok = answer(s, c);
            Thread.sleep(200);
            // to the front end, as a manager or a user's shell would send it
            dev.jrun.runtime.linux.Syscalls.get().kill(frontEnd, 15);
            s.send(c, Wire.encode("foreground", pid), new int[0]);
            List<String> status = answer(s, c);
            s.send(c, Wire.exit(7), new int[0]);
            return ok + " " + status;
        }, run, "run", "c1");
        assertEquals("[ok, 0] [status, " + (7 << 8) + "]", result);
        assertEquals(7, run.get().status(), run.get().err());
    }

    /** With a terminal handed over, the front end copies it to its stdout until the process is done. */
    @Test
    void proxiesTheTerminalItIsHanded() throws Exception {
        AtomicReference<Run> run = new AtomicReference<>();
        dev.jrun.runtime.linux.Syscalls sys = dev.jrun.runtime.linux.Syscalls.get();
        String result = scripted((s, c, frontEnd) -> {
            s.send(c, Wire.encode("spawn", "/bin/sh", "3", "sh", "-c", "sleep 0.3; exit 3", "3", "c0", "c1", "c2"),
                    new int[0]);
            String pid = answer(s, c).get(1);
            s.send(c, Wire.encode("forward", pid, "15"), new int[0]);
            answer(s, c);
            // a socket pair stands in for the pty: the front end only reads and writes it
            int[] pty = sys.socketPair();
            s.send(c, Wire.encode("terminal"), new int[] {pty[1]});
            sys.close(pty[1]);
            List<String> ok = answer(s, c);
            byte[] text = "from the container\n".getBytes(StandardCharsets.UTF_8);
            sys.writeAll(pty[0], text, 0, text.length);
            sys.close(pty[0]);
            s.send(c, Wire.encode("foreground", pid), new int[0]);
            List<String> status = answer(s, c);
            s.send(c, Wire.exit(3), new int[0]);
            return ok + " " + status;
        }, run, "run", "c1");
        assertEquals("[ok, 0] [status, " + (3 << 8) + "]", result);
        assertEquals(3, run.get().status(), run.get().err());
        assertEquals("from the container\n", run.get().out());
    }
}
