package dev.jrun.cli.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.linux.UnixSockets;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's side of the protocol: a real server on a socket, called as the front end calls it. */
class ServerTest {
    @TempDir
    Path tmp;
    private Path socket;
    private Path root;
    private Thread serving;
    private Server server;
    private final UnixSockets sockets = UnixSockets.get();
    private final Syscalls sys = Syscalls.get();

    @BeforeEach
    void start() throws Exception {
        socket = tmp.resolve("s.sock");
        root = tmp.resolve("root");
        serve(new Server(sockets, sys, socket, root, "b1", 1500, new PrintStream(OutputStream.nullOutputStream())));
    }

    /** Runs server on its own thread, as `serving`, until its socket is there. */
    private void serve(Server s) throws InterruptedException {
        server = s;
        serving = new Thread(() -> {
            try {
                server.serve();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        serving.start();
        for (int i = 0; i < 200 && !Files.exists(socket); i++) {
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stop() throws Exception {
        serving.join(20_000);
    }

    private record Answer(List<List<String>> messages, String out, String err) {
        List<String> last() {
            return messages.get(messages.size() - 1);
        }
    }

    private Answer call(String build, String cwd, String... args) throws Exception {
        int[] out = sys.pipe();
        int[] err = sys.pipe();
        int c = sockets.connect(socket.toString());
        List<String> argv = new ArrayList<>(List.of("jrun"));
        argv.addAll(List.of(args));
        sockets.send(c, Wire.encode(new Wire.Request(build, cwd, argv, List.of("PATH=/usr/bin:/bin"),
                new int[] {1, 2})), new int[] {out[1], err[1]});
        sys.close(out[1]);
        sys.close(err[1]);
        List<List<String>> messages = new ArrayList<>();
        UnixSockets.Message m;
        while ((m = sockets.receive(c, 4096, 0)) != null) {
            messages.add(Wire.fields(m.data()));
        }
        sys.close(c);
        return new Answer(messages, drain(out[0]), drain(err[0]));
    }

    private String drain(int fd) throws Exception {
        StringBuilder b = new StringBuilder();
        byte[] buf = new byte[4096];
        int n;
        while ((n = sys.read(fd, buf, 0, buf.length)) > 0) {
            b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        sys.close(fd);
        return b.toString();
    }

    @Test
    void servesACallWithTheCallersStdio() throws Exception {
        Answer a = call("b1", "/", "--root", root.toString(), "state", "nothere");
        assertEquals(List.of(List.of("accepted", "1"), List.of("exit", "1")), a.messages());
        assertTrue(a.err().contains("container \"nothere\" does not exist") || a.err().contains("does not exist"), a.err());

        a = call("b1", "/", "--root", root.toString(), "list");
        assertEquals(List.of("exit", "0"), a.last());
        assertTrue(a.out().startsWith("ID"), a.out());
    }

    @Test
    void relativePathsAreTheCallers() throws Exception {
        Answer a = call("b1", tmp.toString(), "--root", "root", "list", "-q");
        assertEquals(List.of("exit", "0"), a.last(), a.err());
    }

    @Test
    void sendsBackWhatItDoesNotServe() throws Exception {
        assertEquals("fallback", call("b1", "/", "--root", root.toString(), "events", "c").last().get(0));
        assertEquals("fallback", call("b1", "/", "--root", root.toString(), "checkpoint", "c").last().get(0));
        assertEquals("fallback", call("b1", "/", "--root", root.toString(), "spec").last().get(0));
        assertTrue(Server.SERVED.containsAll(List.of("create", "run", "exec")));
        assertEquals("fallback", call("b1", "/", "--root", root.toString(), "state", "--help").last().get(0));
        assertEquals("fallback", call("b2", "/", "--root", root.toString(), "state", "c").last().get(0));
        assertEquals("fallback", call("b1", "/", "--root", tmp.resolve("other").toString(), "state", "c").last().get(0));
        assertEquals("fallback", call("b1", "/", "state", "c").last().get(0));
    }

    @Test
    void refusesOtherUidsAndNamespaces() throws Exception {
        int pid = (int) ProcessHandle.current().pid();
        assertNull(server.refusal(new UnixSockets.Credentials(pid, sys.getuid(), 0)));
        assertTrue(server.refusal(new UnixSockets.Credentials(pid, sys.getuid() + 1, 0)).contains("does not serve uid"));
        // pid 1's namespaces are ours on a plain host, but a process that is gone has none to check
        assertTrue(server.refusal(new UnixSockets.Credentials(Integer.MAX_VALUE, sys.getuid(), 0))
                .contains("cannot read the caller's namespaces"));
    }

    @Test
    void statusStopAndIdleExit() throws Exception {
        Answer a = call("b1", "/", "--root", root.toString(), "server", "status");
        assertEquals(List.of("exit", "0"), a.last());
        assertTrue(a.out().contains("pid: " + ProcessHandle.current().pid()), a.out());
        assertTrue(a.out().contains("build: b1"), a.out());
        serving.join(20_000);
        assertFalse(serving.isAlive(), "idle server exits");
        assertFalse(Files.exists(socket), "and removes its socket");
    }

    @Test
    void anAdoptedServerLeavesOnceItsAdopterHasNoOtherChild() throws Exception {
        serving.join(20_000);
        java.util.concurrent.atomic.AtomicBoolean onlyUs = new java.util.concurrent.atomic.AtomicBoolean();
        Path adopted = tmp.resolve("adopted.sock");
        Server s = new Server(sockets, sys, adopted, root, "b1", 60_000, new PrintStream(OutputStream.nullOutputStream()),
                new Adoption() {
                    @Override
                    public boolean bySubreaper() {
                        return true;
                    }

                    @Override
                    public boolean adopterHasOnlyUs() {
                        return onlyUs.get();
                    }
                });
        Thread t = new Thread(() -> {
            try {
                s.serve();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        t.join(2 * Server.ADOPTED_GRACE_MILLIS);
        assertTrue(t.isAlive(), "stays while its adopter has other children (a running container)");
        onlyUs.set(true);
        t.join(20_000);
        assertFalse(t.isAlive(), "leaves once it alone keeps the adopter, long before the idle time");
        assertFalse(Files.exists(adopted));
    }

    /**
     * While adopted by a subreaper, every call's end asks the front end for a successor; a
     * hand-over is taken only from a child of init, which this test JVM is not.
     */
    @Test
    void anAdoptedServerAsksForASuccessor() throws Exception {
        serving.join(20_000);
        serve(new Server(sockets, sys, socket, root, "b1", 1500, new PrintStream(OutputStream.nullOutputStream()),
                new Adoption() {
                    @Override
                    public boolean bySubreaper() {
                        return true;
                    }

                    @Override
                    public boolean adopterHasOnlyUs() {
                        return false;
                    }
                }));
        assertEquals(List.of("exit", "0", "rehome"), call("b1", "/", "--root", root.toString(), "list").last());
        Answer refused = call("b1", "/", "--root", root.toString(), "server", "handover");
        assertEquals(List.of("exit", "1", "rehome"), refused.last(), refused.err());
        assertTrue(refused.err().contains("no hand-over"), refused.err());
        assertTrue(Files.exists(socket), "still serving");
    }
}
