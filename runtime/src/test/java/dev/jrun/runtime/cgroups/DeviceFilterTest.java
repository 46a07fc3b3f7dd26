package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.CgroupTestSupport.res;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.cgroups.DeviceAllowList.Rule;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden instruction dumps.  The first one is the program for runc's default device list
 * alone, instruction for instruction the program runc's own golden test expects for it.
 */
class DeviceFilterTest {

    private static final String PROLOGUE = """
              0: r2 = *(u32 *)(r1 + 0)
              1: w2 &= 0xffff
              2: r3 = *(u32 *)(r1 + 0)
              3: w3 >>= 16
              4: r4 = *(u32 *)(r1 + 4)
              5: r5 = *(u32 *)(r1 + 8)
            """;

    private static String dump(List<Rule> rules) throws CgroupException {
        return DeviceFilter.disassemble(DeviceFilter.generate(rules));
    }

    @Test
    void noRulesDeniesEverything() throws Exception {
        assertEquals(PROLOGUE + """
                  6: w0 = 0
                  7: exit
                """, dump(List.of()));
    }

    @Test
    void denyAllThenTheDefaultAllowList() throws Exception {
        String expected = PROLOGUE + """
                  6: if r2 != 0x1 goto 12
                  7: w1 = w3
                  8: w1 &= 0x1
                  9: if r1 != r3 goto 12
                 10: w0 = 1
                 11: exit
                 12: if r2 != 0x2 goto 18
                 13: w1 = w3
                 14: w1 &= 0x1
                 15: if r1 != r3 goto 18
                 16: w0 = 1
                 17: exit
                 18: if r2 != 0x2 goto 23
                 19: if r4 != 0x1 goto 23
                 20: if r5 != 0x3 goto 23
                 21: w0 = 1
                 22: exit
                 23: if r2 != 0x2 goto 28
                 24: if r4 != 0x1 goto 28
                 25: if r5 != 0x5 goto 28
                 26: w0 = 1
                 27: exit
                 28: if r2 != 0x2 goto 33
                 29: if r4 != 0x1 goto 33
                 30: if r5 != 0x7 goto 33
                 31: w0 = 1
                 32: exit
                 33: if r2 != 0x2 goto 38
                 34: if r4 != 0x1 goto 38
                 35: if r5 != 0x8 goto 38
                 36: w0 = 1
                 37: exit
                 38: if r2 != 0x2 goto 43
                 39: if r4 != 0x1 goto 43
                 40: if r5 != 0x9 goto 43
                 41: w0 = 1
                 42: exit
                 43: if r2 != 0x2 goto 48
                 44: if r4 != 0x5 goto 48
                 45: if r5 != 0x0 goto 48
                 46: w0 = 1
                 47: exit
                 48: if r2 != 0x2 goto 53
                 49: if r4 != 0x5 goto 53
                 50: if r5 != 0x2 goto 53
                 51: w0 = 1
                 52: exit
                 53: if r2 != 0x2 goto 58
                 54: if r4 != 0xa goto 58
                 55: if r5 != 0xc8 goto 58
                 56: w0 = 1
                 57: exit
                 58: if r2 != 0x2 goto 62
                 59: if r4 != 0x88 goto 62
                 60: w0 = 1
                 61: exit
                 62: w0 = 0
                 63: exit
                """;
        assertEquals(expected, dump(DeviceAllowList.forContainer(res("{'devices':[{'allow':false,'access':'rwm'}]}").devices())));
        // the config's deny-all adds nothing: a new program is a whitelist already
        assertEquals(expected, dump(DeviceAllowList.forContainer(null)));
    }

    @Test
    void allowAllWithDenies() throws Exception {
        // a deny exception denies any request overlapping its accesses (the v1 kernel's rule)
        assertEquals(PROLOGUE + """
                  6: if r2 != 0x1 goto 12
                  7: w1 = w3
                  8: w1 &= 0x4
                  9: if r1 == 0x0 goto 12
                 10: w0 = 0
                 11: exit
                 12: if r2 != 0x2 goto 20
                 13: w1 = w3
                 14: w1 &= 0x6
                 15: if r1 == 0x0 goto 20
                 16: if r4 != 0xa goto 20
                 17: if r5 != 0xe5 goto 20
                 18: w0 = 0
                 19: exit
                 20: w0 = 1
                 21: exit
                """, dump(List.of(Rule.allow('a', -1, -1, "rwm"), Rule.deny('c', 10, 229, "rw"), Rule.deny('b', -1, -1, "w"))));
    }

    @Test
    void defaultsDoNotNarrowAnAllowAllConfig() throws Exception {
        // runc's defaults are allow rules: in a blacklist they only remove deny exceptions
        assertEquals(PROLOGUE + """
                  6: w0 = 1
                  7: exit
                """, dump(DeviceAllowList.forContainer(res("{'devices':[{'allow':true,'access':'rwm'}]}").devices())));
    }

    @Test
    void wildcardMajorsAndMinors() throws Exception {
        // blocks in (major, minor, type) order, "any" first: c *:* r, b *:0 rwm, c 254:* rw
        assertEquals(PROLOGUE + """
                  6: if r2 != 0x2 goto 12
                  7: w1 = w3
                  8: w1 &= 0x2
                  9: if r1 != r3 goto 12
                 10: w0 = 1
                 11: exit
                 12: if r2 != 0x1 goto 16
                 13: if r5 != 0x0 goto 16
                 14: w0 = 1
                 15: exit
                 16: if r2 != 0x2 goto 23
                 17: w1 = w3
                 18: w1 &= 0x6
                 19: if r1 != r3 goto 23
                 20: if r4 != 0xfe goto 23
                 21: w0 = 1
                 22: exit
                 23: w0 = 0
                 24: exit
                """, dump(List.of(Rule.deny('a', -1, -1, "rwm"), Rule.allow('c', 254, -1, "rw"),
                        Rule.allow('b', -1, 0, "rwm"), Rule.allow('c', -1, -1, "r"))));
    }

    @Test
    void encodingIsTheKernelsLittleEndianLayout() throws Exception {
        byte[] code = DeviceFilter.generate(List.of(Rule.allow('c', 1, 3, "rwm")));
        String hex = HexFormat.of().formatHex(code);
        assertEquals(""
                + "6112000000000000" // r2 = *(u32 *)(r1 + 0): LDX|MEM|W, src r1, dst r2
                + "54020000ffff0000" // w2 &= 0xffff
                + "6113000000000000"
                + "7403000010000000" // w3 >>= 16
                + "6114040000000000" // r4 = *(u32 *)(r1 + 4)
                + "6115080000000000" // r5 = *(u32 *)(r1 + 8)
                + "5502040002000000" // if r2 != 2 goto +4
                + "5504030001000000" // if r4 != 1 goto +3
                + "5505020003000000" // if r5 != 3 goto +2
                + "b400000001000000" // w0 = 1
                + "9500000000000000" // exit
                + "b400000000000000" // w0 = 0
                + "9500000000000000", hex);
        assertEquals(hex, HexFormat.of().formatHex(DeviceFilter.encode(DeviceFilter.decode(code))));
        assertArrayEquals(code, DeviceFilter.encode(DeviceFilter.program(DeviceAllowList.Emulator.of(
                List.of(Rule.allow('c', 1, 3, "rwm"))))));
    }

    @Test
    void holesInWildcardsAndHugeNumbersAreRefused() {
        assertThrows(CgroupException.class, () -> DeviceFilter.generate(List.of(Rule.allow('c', -1, -1, "rwm"),
                Rule.deny('c', 1, 3, "rwm"))));
        CgroupException e = assertThrows(CgroupException.class,
                () -> DeviceFilter.generate(List.of(Rule.allow('c', 3_000_000_000L, 1, "rwm"))));
        assertTrue(e.getMessage().contains("3000000000"), e.getMessage());
    }
}
