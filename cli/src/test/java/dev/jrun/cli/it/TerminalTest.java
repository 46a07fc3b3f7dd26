package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.testbundles.Bundle;
import dev.jrun.testbundles.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** process.terminal: the pty sent over a console socket, and the tty jrun run proxies itself. */
class TerminalTest extends ContainerTest {

    /** The probe's report as it came through a terminal (CRLF line ends). */
    static Map<String, Object> report(String ttyOutput) {
        String text = ttyOutput.replace("\r", "");
        int start = text.indexOf('{');
        int end = text.indexOf('\n', start);
        return Json.parseObject(text.substring(start, end < 0 ? text.length() : end));
    }

    @Test
    void consoleSocketReceivesThePtyMaster() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.terminal(true).consoleSize(33, 99).args("/bin/jrun-probe"));
        Path socket = work.resolve("console.sock");
        Path output = work.resolve("tty.out");
        Path script = Path.of(getClass().getResource("/recvtty.py").toURI());
        Process recv = new ProcessBuilder("python3", script.toString(), socket.toString(), output.toString())
                .redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(recv.getInputStream()));
        assertEquals("ready", lines.readLine());
        jrun("create", "--console-socket", socket.toString(), "--bundle", b.dir().toString(), id).ok();
        jrun("start", id).ok();
        assertTrue(recv.waitFor(30, TimeUnit.SECONDS), "the terminal closes when the container exits");
        assertEquals(0, recv.exitValue());
        Map<String, Object> p = report(Files.readString(output));
        assertEquals(Boolean.TRUE, p.get("tty"));
        assertNotEquals(0L, number(p.get("ctty")), "the pty is the controlling terminal");
        assertEquals(33L, number(get(p, "winsize", "rows")), "consoleSize is applied");
        assertEquals(99L, number(get(p, "winsize", "cols")));
        Map<String, String> targets = get(p, "fd_targets");
        for (String fd : List.of("0", "1", "2")) {
            assertTrue(targets.get(fd).startsWith("/dev/pts/"), fd + " -> " + targets.get(fd));
        }
        assertEquals("/dev/ptmx", Files.readString(work.resolve("tty.out.name")));
    }

    @Test
    void devConsoleIsThePty() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.terminal(true).args("/bin/jrun-probe", "stat", "/dev/console"));
        Result r = exec(null, List.of("script", "-qec", jrun + " --root " + root + " run --bundle " + b.dir() + " " + id,
                "/dev/null"), 60);
        Map<String, Object> p = report(r.out());
        assertEquals("char", get(p, "/dev/console", "type"));
        assertEquals(136L, number(get(p, "/dev/console", "rdev_major")), "a pts device");
    }

    @Test
    void runProxiesItsOwnTerminal() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.terminal(true).args("/bin/jrun-probe"));
        Result r = exec(null, List.of("script", "-qec", jrun + " --root " + root + " run --bundle " + b.dir() + " " + id,
                "/dev/null"), 60);
        assertEquals(0, r.status(), r.err());
        Map<String, Object> p = report(r.out());
        assertEquals(Boolean.TRUE, p.get("tty"));
        assertEquals(1L, number(p.get("sid")), "the container process leads its own session");
    }

    /**
     * runc fails here (`open /dev/tty: no such device or address`); jrun runs it, its pty
     * proxied to plain stdout, since no caller depends on the failure (issue 20, case 5).
     */
    @Test
    void runWithATerminalButNoTtyOnStdinStillRuns() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.terminal(true).args("/bin/sh", "-c", "test -t 1 && echo on-a-tty"));
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.status(), r.err());
        assertEquals("on-a-tty\n", r.out());
    }

    @Test
    void aTerminalNeedsSomewhereToGo() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.terminal(true));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status());
        assertEquals("cannot allocate tty if jrun will detach without setting console socket\n", r.err());
        Result d = jrun("run", "-d", "--bundle", b.dir().toString(), id);
        assertEquals(1, d.status());
        assertTrue(!Files.exists(root.resolve(id)));
    }
}
