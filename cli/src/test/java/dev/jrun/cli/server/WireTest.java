package dev.jrun.cli.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's side of the front end's protocol. */
class WireTest {
    @Test
    void requestRoundTrips() throws Exception {
        Wire.Request r = new Wire.Request("abc", "/tmp/x", List.of("jrun", "state", "é id"), List.of("A=1", "B="),
                new int[] {0, 1, 2, 7});
        Wire.Request back = Wire.decodeRequest(Wire.encode(r));
        assertEquals(r.build(), back.build());
        assertEquals(r.cwd(), back.cwd());
        assertEquals(r.argv(), back.argv());
        assertEquals(r.env(), back.env());
        assertArrayEquals(r.callerFds(), back.callerFds());
    }

    @Test
    void emptyListsAndArguments() throws Exception {
        Wire.Request back = Wire.decodeRequest(Wire.encode(new Wire.Request("b", "/", List.of("jrun", ""), List.of(),
                new int[0])));
        assertEquals(List.of("jrun", ""), back.argv());
        assertEquals(0, back.callerFds().length);
    }

    /** What the C front end sends, byte for byte. */
    @Test
    void decodesTheFrontEndsBytes() throws Exception {
        byte[] raw = "request\0001\000b1\000/w\0002\000jrun\000list\0001\000PATH=/bin\0003\0000\0001\0002\000"
                .getBytes(StandardCharsets.UTF_8);
        Wire.Request r = Wire.decodeRequest(raw);
        assertEquals(List.of("jrun", "list"), r.argv());
        assertEquals(List.of("PATH=/bin"), r.env());
        assertArrayEquals(new int[] {0, 1, 2}, r.callerFds());
    }

    @Test
    void refusesMalformedRequests() {
        for (String bad : new String[] {"", "hello\0", "request\0002\000b\000/\0000\0000\0000\000",
                "request\0001\000b\000relative\0000\0000\0000\000", "request\0001\000b\000/\0005\000a\000",
                "request\0001\000b\000/\0000\0000\0001\000-1\000", "request\0001\000b\000/\0000\0000\0000\000extra\000",
                "request\0001\000b\000/\0000\0000\0000"}) {
            assertThrows(Wire.ProtocolException.class, () -> Wire.decodeRequest(bad.getBytes(StandardCharsets.UTF_8)),
                    bad);
        }
    }

    @Test
    void replies() throws Exception {
        assertEquals(List.of("accepted", "1"), Wire.fields(Wire.accepted(true)));
        assertEquals(List.of("fallback", "why"), Wire.fields(Wire.fallback("why")));
        assertEquals(List.of("exit", "137"), Wire.fields(Wire.exit(137)));
    }

    /** The front end hashes the same bytes the same way (cli/src/main/c/jrun.c). */
    @Test
    void socketNameIsStable() {
        assertEquals(0xcbf29ce484222325L, ServerKey.fnv1a(""));
        assertEquals(0xaf63dc4c8601ec8cL, ServerKey.fnv1a("a"));
        assertEquals("b1-" + String.format("%016x", ServerKey.fnv1a("/run/jrun\0004026531840\0004026531837")) + ".sock",
                ServerKey.socketName("b1", "/run/jrun", 4026531840L, 4026531837L));
    }
}
