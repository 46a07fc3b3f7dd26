package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SignalsTest {
    @Test
    void namesWithOrWithoutSigAndNumbers() {
        assertEquals(9, Signals.parse("9"));
        assertEquals(9, Signals.parse("KILL"));
        assertEquals(9, Signals.parse("SIGKILL"));
        assertEquals(9, Signals.parse("sigkill"));
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(28, Signals.parse("SIGWINCH"));
        assertEquals(34, Signals.parse("RTMIN"));
        assertEquals(36, Signals.parse("SIGRTMIN+2"));
        assertEquals(64, Signals.parse("RTMAX"));
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Signals.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> Signals.parse("65"));
        assertThrows(IllegalArgumentException.class, () -> Signals.parse("NOPE"));
        assertThrows(IllegalArgumentException.class, () -> Signals.parse("RTMIN+40"));
    }
}
