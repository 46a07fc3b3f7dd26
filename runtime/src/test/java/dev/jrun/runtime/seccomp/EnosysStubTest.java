package dev.jrun.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.linux.LibSeccomp;
import dev.jrun.spec.model.LinuxSeccomp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The -ENOSYS preamble: golden listings of what is generated, and runs of the whole program
 * (preamble + a stand-in for libseccomp's filter that returns the default action) on sample
 * syscalls.
 */
class EnosysStubTest {
    static final int ENOSYS = LibSeccomp.errnoAction(38);
    static final int EPERM = LibSeccomp.errnoAction(1);
    static final int ALLOW = LibSeccomp.ACT_ALLOW;
    private final FakeLibSeccomp lib = new FakeLibSeccomp();

    private List<Insn> program(LinuxSeccomp s) throws SeccompException {
        return Insn.decode(SeccompCompiler.compile(s, lib).program().bpf());
    }

    private static LinuxSeccomp denyByDefault(List<String> archs, String... allowed) {
        return new LinuxSeccomp("SCMP_ACT_ERRNO", null, archs, List.of(), null, null,
                List.of(SeccompCompilerTest.rule("SCMP_ACT_ALLOW", allowed)));
    }

    @Test
    void x86FamilyListing() throws Exception {
        List<Insn> p = program(denyByDefault(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                "read", "getpid", "personality"));
        assertEquals("""
                   0  ld  [4]
                   1  jeq #0xc000003e jt 4 jf 2
                   2  jeq #0x40000003 jt 8 jf 3
                   3  ja  11
                   4  ld  [0]
                   5  jset #0x40000000 jt 7 jf 6
                   6  jgt #0x87 jt 10 jf 11
                   7  jgt #0x40000087 jt 10 jf 11
                   8  ld  [0]
                   9  jgt #0x88 jt 10 jf 11
                  10  ret #0x50026
                  11  ret #0x50001
                """.stripIndent(), Insn.disassemble(p), "x86_64 and x32 share AUDIT_ARCH_X86_64; the filter follows at 11");
    }

    @Test
    void newerSyscallsGetEnosysOlderOnesTheFilter() throws Exception {
        List<Insn> p = program(denyByDefault(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                "read", "getpid", "personality"));
        int x64 = FakeLibSeccomp.X86_64;
        assertEquals(EPERM, BpfRunner.run(p, 39, x64), "named: the filter decides");
        assertEquals(EPERM, BpfRunner.run(p, 100, x64), "older than the profile: the filter's default");
        assertEquals(EPERM, BpfRunner.run(p, 135, x64), "the highest one named");
        assertEquals(ENOSYS, BpfRunner.run(p, 136, x64), "newer than anything named");
        assertEquals(ENOSYS, BpfRunner.run(p, 435, x64), "clone3, unnamed, always gets ENOSYS");
        assertEquals(ENOSYS, BpfRunner.run(p, -1, x64));
        assertEquals(EPERM, BpfRunner.run(p, 0x40000000 | 100, x64), "x32 has its own limit");
        assertEquals(ENOSYS, BpfRunner.run(p, 0x40000000 | 136, x64));
        assertEquals(EPERM, BpfRunner.run(p, 136, FakeLibSeccomp.X86), "i386's limit is 136");
        assertEquals(ENOSYS, BpfRunner.run(p, 137, FakeLibSeccomp.X86));
        assertEquals(EPERM, BpfRunner.run(p, 9999, FakeLibSeccomp.AARCH64), "an architecture not in the profile");
    }

    @Test
    void clone3UnnamedGetsEnosysBelowTheLimitToo() throws Exception {
        List<Insn> p = program(denyByDefault(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), "read", "pidfd_getfd"));
        assertEquals("""
                   0  ld  [4]
                   1  jeq #0xc000003e jt 4 jf 2
                   2  jeq #0x40000003 jt 8 jf 3
                   3  ja  12
                   4  ld  [0]
                   5  jset #0x40000000 jt 12 jf 6
                   6  jeq #0x1b3 jt 11 jf 7
                   7  jgt #0x1b6 jt 11 jf 12
                   8  ld  [0]
                   9  jeq #0x1b3 jt 11 jf 10
                  10  jgt #0x1b6 jt 11 jf 12
                  11  ret #0x50026
                  12  ret #0x50001
                """.stripIndent(), Insn.disassemble(p));
        assertEquals(ENOSYS, BpfRunner.run(p, 435, FakeLibSeccomp.X86_64), "glibc falls back to clone");
        assertEquals(EPERM, BpfRunner.run(p, 434, FakeLibSeccomp.X86_64));
        assertEquals(ENOSYS, BpfRunner.run(p, 435, FakeLibSeccomp.X86));
    }

    @Test
    void clone3NamedByTheProfileIsLeftToIt() throws Exception {
        List<Insn> p = program(new LinuxSeccomp("SCMP_ACT_ERRNO", null, null, List.of(), null, null, List.of(
                SeccompCompilerTest.rule("SCMP_ACT_ALLOW", "read", "getpid"),
                SeccompCompilerTest.rule("SCMP_ACT_ERRNO", 1L, null, "clone3"))));
        assertEquals("""
                   0  ld  [4]
                   1  jeq #0xc000003e jt 3 jf 2
                   2  ja  7
                   3  ld  [0]
                   4  jset #0x40000000 jt 7 jf 5
                   5  jgt #0x1b3 jt 6 jf 7
                   6  ret #0x50026
                   7  ret #0x50001
                """.stripIndent(), Insn.disassemble(p), "clone3 is the highest named; x32 calls go to the filter");
        assertEquals(EPERM, BpfRunner.run(p, 435, FakeLibSeccomp.X86_64));
        assertEquals(ENOSYS, BpfRunner.run(p, 436, FakeLibSeccomp.X86_64));
    }

    @Test
    void s390xSyscallZeroIsEnosys() throws Exception {
        lib.nativeArch = FakeLibSeccomp.S390X;
        List<Insn> p = program(denyByDefault(null, "read", "getpid"));
        assertEquals("""
                   0  ld  [4]
                   1  jeq #0x80000016 jt 3 jf 2
                   2  ja  7
                   3  ld  [0]
                   4  jeq #0x0 jt 6 jf 5
                   5  jgt #0x14 jt 6 jf 7
                   6  ret #0x50026
                   7  ret #0x50001
                """.stripIndent(), Insn.disassemble(p));
    }

    @Test
    void onlyDenyByDefaultProfilesGetIt() throws Exception {
        for (String permissive : List.of("SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE")) {
            List<Insn> p = program(new LinuxSeccomp(permissive, null, null, List.of(), null, null,
                    List.of(SeccompCompilerTest.rule("SCMP_ACT_KILL", "mkdir"))));
            assertEquals(1, p.size(), permissive + ": libseccomp's program alone");
        }
        for (String deny : List.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO")) {
            List<Insn> p = program(new LinuxSeccomp(deny, null, null, List.of(), null, null,
                    List.of(SeccompCompilerTest.rule("SCMP_ACT_ALLOW", "read"))));
            assertEquals(ENOSYS, BpfRunner.run(p, 400, FakeLibSeccomp.X86_64), deny);
        }
        List<Insn> p = program(new LinuxSeccomp("SCMP_ACT_ERRNO", 38L, null, List.of(), null, null,
                List.of(SeccompCompilerTest.rule("SCMP_ACT_ALLOW", "read"))));
        assertEquals(1, p.size(), "a default of ENOSYS needs no stub");
    }

    @Test
    void noNamedSyscallMeansNoStub() {
        assertEquals(List.of(), EnosysStub.generate(List.of()));
    }

    // ------------------------------------------------------------------ the assembler

    @Test
    void farConditionalJumpsBecomeLongJumps() {
        // both targets lie about 300 instructions ahead: too far for 8-bit offsets
        BpfAssembler asm = new BpfAssembler().loadWord(0).jeq(7, "far", "near").ret(1);
        for (int i = 0; i < 300; i++) {
            asm.ret(1000 + i);
        }
        asm.label("near").ret(2).label("far").ret(3);
        List<Insn> p = asm.assemble();
        assertNull(Insn.check(p));
        assertEquals("""
                   0  ld  [0]
                   1  jeq #0x7 jt 2 jf 3
                   2  ja  306
                   3  ja  305
                   4  ret #0x1
                """.stripIndent(), Insn.disassemble(p.subList(0, 5)));
        assertEquals(3, BpfRunner.run(p, 7, 0), "true: the far target");
        assertEquals(2, BpfRunner.run(p, 4, 0), "false: the other far target");
    }

    @Test
    void aLongJumpWhoseTrueBranchFallsThrough() {
        BpfAssembler asm = new BpfAssembler().loadWord(0).jgt(3, null, "far").ret(1);
        for (int i = 0; i < 300; i++) {
            asm.ret(1000 + i);
        }
        asm.label("far").ret(3);
        List<Insn> p = asm.assemble();
        assertEquals("""
                   0  ld  [0]
                   1  jgt #0x3 jt 2 jf 3
                   2  ja  4
                   3  ja  305
                   4  ret #0x1
                """.stripIndent(), Insn.disassemble(p.subList(0, 5)));
        assertEquals(1, BpfRunner.run(p, 5, 0));
        assertEquals(3, BpfRunner.run(p, 2, 0));
    }

    @Test
    void aLongJumpWhoseFalseBranchFallsThrough() {
        BpfAssembler asm = new BpfAssembler().loadWord(0).jeq(7, "far", null);
        for (int i = 0; i < 256; i++) {
            asm.ret(1000 + i);
        }
        asm.label("far").ret(3);
        List<Insn> p = asm.assemble();
        assertEquals("   1  jeq #0x7 jt 2 jf 3\n   2  ja  259\n", Insn.disassemble(p).lines().skip(1).limit(2)
                .reduce("", (a, b) -> a + b + "\n"));
        assertEquals(3, BpfRunner.run(p, 7, 0));
        assertEquals(1000, BpfRunner.run(p, 8, 0));
    }

    @Test
    void jumpsThatJustFitStayShort() {
        BpfAssembler asm = new BpfAssembler().jeq(1, "t", null);
        for (int i = 0; i < 255; i++) {
            asm.ret(i);
        }
        asm.label("t").ret(9);
        List<Insn> p = asm.assemble();
        assertEquals(257, p.size());
        assertEquals(255, p.get(0).jt());
    }

    @Test
    void prependingKeepsTheFiltersOwnJumps() throws Exception {
        // a real libseccomp program is only relative jumps; check the whole stays well formed
        List<Insn> p = program(denyByDefault(List.of("SCMP_ARCH_X86"), "read"));
        assertNull(Insn.check(p));
        List<Insn> bad = new ArrayList<>(p);
        bad.set(1, new Insn(bad.get(1).code(), 200, 0, bad.get(1).k()));
        assertTrue(Insn.check(bad).contains("jumps past the end"));
    }
}
