package dev.jrun.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.linux.LibSeccomp;
import dev.jrun.runtime.plan.PlanContext;
import dev.jrun.spec.model.LinuxSeccomp;
import dev.jrun.spec.model.LinuxSeccompArg;
import dev.jrun.spec.model.LinuxSyscall;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The profile → libseccomp call sequence, against {@link FakeLibSeccomp}. */
class SeccompCompilerTest {
    private final FakeLibSeccomp lib = new FakeLibSeccomp();

    static LinuxSyscall rule(String action, Long errnoRet, List<LinuxSeccompArg> args, String... names) {
        return new LinuxSyscall(List.of(names), action, errnoRet, args);
    }

    static LinuxSyscall rule(String action, String... names) {
        return rule(action, null, null, names);
    }

    static LinuxSeccompArg arg(long index, String op, long value, Long valueTwo) {
        return new LinuxSeccompArg(index, value, valueTwo, op);
    }

    static LinuxSeccomp profile(String defaultAction, List<String> flags, LinuxSyscall... rules) {
        return new LinuxSeccomp(defaultAction, null, null, flags, null, null, Arrays.asList(rules));
    }

    private SeccompCompiler.Result compile(LinuxSeccomp s) throws SeccompException {
        return SeccompCompiler.compile(s, lib);
    }

    /** The calls after the kernel probes, minus init and the closing export/release. */
    private List<String> rules() {
        List<String> out = new ArrayList<>();
        for (String c : lib.calls) {
            if (c.startsWith("rule ")) {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void callSequenceOfAProfile() throws Exception {
        LinuxSeccomp s = new LinuxSeccomp("SCMP_ACT_ERRNO", null,
                List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), List.of(), null, null, List.of(
                        rule("SCMP_ACT_ALLOW", "read", "getpid"),
                        rule("SCMP_ACT_ERRNO", 13L, null, "mkdir"),
                        rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_EQ", 8, null)), "personality")));
        SeccompCompiler.Result r = compile(s);
        assertEquals(List.of(
                "init 0x50001",
                "arch_add 0xc000003e",
                "arch_add 0x40000003",
                "arch_add 0x4000003e",
                "attr CTL_NNP 0",
                "rule 0x7fff0000 0",
                "rule 0x7fff0000 39",
                "rule 0x5000d 83",
                "rule 0x7fff0000 135 [0 EQ 8]",
                "export",
                "release"), lib.calls);
        assertEquals(List.of(), r.warnings());
        assertEquals(0L, r.program().flags(), "an empty flags list asks for none");
        assertFalse(r.program().hasListener());
        assertEquals(0, r.program().bpf().length % 8);
    }

    @Test
    void everyAction() throws Exception {
        compile(new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, "/run/agent.sock", null, List.of(
                rule("SCMP_ACT_KILL", "read"),
                rule("SCMP_ACT_KILL_THREAD", "getpid"),
                rule("SCMP_ACT_KILL_PROCESS", "mkdir"),
                rule("SCMP_ACT_TRAP", "socket"),
                rule("SCMP_ACT_ERRNO", "clone"),
                rule("SCMP_ACT_ERRNO", 22L, null, "capset"),
                rule("SCMP_ACT_TRACE", "getppid"),
                rule("SCMP_ACT_TRACE", 1234L, null, "setresuid"),
                rule("SCMP_ACT_LOG", "personality"),
                rule("SCMP_ACT_NOTIFY", "clone3"))));
        assertEquals(List.of(
                "rule 0x0 0",
                "rule 0x0 39",
                "rule 0x80000000 83",
                "rule 0x30000 41",
                "rule 0x50001 56",
                "rule 0x50016 126",
                "rule 0x7ff00001 110",
                "rule 0x7ff004d2 117",
                "rule 0x7ffc0000 135",
                "rule 0x7fc00000 435"), rules());
    }

    @Test
    void defaultErrnoRetSetsTheDefaultActionsErrno() throws Exception {
        compile(new LinuxSeccomp("SCMP_ACT_ERRNO", 38L, null, List.of(), null, null,
                List.of(rule("SCMP_ACT_ALLOW", "read"))));
        assertEquals("init 0x50026", lib.calls.get(0));
    }

    @Test
    void rulesWithTheDefaultActionAreSkipped() throws Exception {
        compile(new LinuxSeccomp("SCMP_ACT_ERRNO", null, null, List.of(), null, null, List.of(
                rule("SCMP_ACT_ERRNO", "read"),
                rule("SCMP_ACT_ERRNO", 1L, null, "getpid"),
                rule("SCMP_ACT_ERRNO", 2L, null, "mkdir"),
                rule("SCMP_ACT_ALLOW", "socket"))));
        assertEquals(List.of("rule 0x50002 83", "rule 0x7fff0000 41"), rules(),
                "ERRNO(EPERM) is the default here, whether errnoRet says 1 or nothing");
    }

    @Test
    void conditionsOnDistinctArgumentsAreOneRule() throws Exception {
        compile(profile("SCMP_ACT_ALLOW", List.of(), rule("SCMP_ACT_ERRNO", null, List.of(
                arg(0, "SCMP_CMP_EQ", 2, null),
                arg(1, "SCMP_CMP_MASKED_EQ", 0xf, 3L),
                arg(2, "SCMP_CMP_GT", 7, null)), "socket")));
        assertEquals(List.of("rule 0x50001 41 [0 EQ 2] [1 MASKED_EQ 15 3] [2 GT 7]"), rules(),
                "ANDed: all three must hold");
    }

    @Test
    void conditionsOnTheSameArgumentAreSeparateRules() throws Exception {
        compile(profile("SCMP_ACT_ALLOW", List.of(), rule("SCMP_ACT_ERRNO", null, List.of(
                arg(0, "SCMP_CMP_EQ", 2, null),
                arg(0, "SCMP_CMP_EQ", 10, null),
                arg(1, "SCMP_CMP_NE", 1, null)), "socket")));
        assertEquals(List.of(
                "rule 0x50001 41 [0 EQ 2]",
                "rule 0x50001 41 [0 EQ 10]",
                "rule 0x50001 41 [1 NE 1]"), rules(), "ORed, as runc does once an index repeats");
    }

    @Test
    void everyOperator() throws Exception {
        List<LinuxSeccompArg> args = new ArrayList<>();
        int i = 0;
        for (String op : SeccompTables.OPERATORS.keySet()) {
            args.add(arg(i++ % 6, op, i, null));
        }
        compile(profile("SCMP_ACT_ALLOW", List.of(), rule("SCMP_ACT_ERRNO", null, args, "socket")));
        assertEquals(List.of("rule 0x50001 41 [0 NE 1]", "rule 0x50001 41 [1 LT 2]", "rule 0x50001 41 [2 LE 3]",
                "rule 0x50001 41 [3 EQ 4]", "rule 0x50001 41 [4 GE 5]", "rule 0x50001 41 [5 GT 6]",
                "rule 0x50001 41 [0 MASKED_EQ 7]"), rules(), "index 0 repeats, so each is a rule of its own");
    }

    @Test
    void unknownSyscallsAreSkippedWithOneWarning() throws Exception {
        SeccompCompiler.Result r = compile(profile("SCMP_ACT_ERRNO", List.of(),
                rule("SCMP_ACT_ALLOW", "read", "made_up_call", "getpid", "another_one", "made_up_call")));
        assertEquals(List.of("rule 0x7fff0000 0", "rule 0x7fff0000 39"), rules());
        assertEquals(List.of("seccomp: rules for syscalls libseccomp 2.5.4 does not know were skipped: "
                + "made_up_call, another_one"), r.warnings());
    }

    @Test
    void aSyscallOfAnotherArchitectureIsPassedOn() throws Exception {
        lib.nativeArch = FakeLibSeccomp.X86;
        compile(profile("SCMP_ACT_ERRNO", List.of(), rule("SCMP_ACT_ALLOW", "sendmsg")));
        assertEquals(List.of("rule 0x7fff0000 -10100"), rules(), "libseccomp's pseudo number, not a warning");
    }

    @Test
    void noDefaultActionAndNoRulesMeansNoFilter() throws Exception {
        assertNull(compile(new LinuxSeccomp(null, null, List.of("SCMP_ARCH_X86"), null, null, null, null)));
        assertNull(compile(null));
        assertTrue(lib.calls.isEmpty());
    }

    @Test
    void manyRulesTurnOnTheBinaryTree() throws Exception {
        String[] names = new String[33];
        Arrays.fill(names, "read");
        compile(profile("SCMP_ACT_ERRNO", List.of(), rule("SCMP_ACT_ALLOW", names)));
        assertTrue(lib.calls.contains("attr CTL_OPTIMIZE 2"), lib.calls.toString());
        lib.calls.clear();
        compile(profile("SCMP_ACT_ERRNO", List.of(), rule("SCMP_ACT_ALLOW", Arrays.copyOf(names, 32))));
        assertFalse(lib.calls.contains("attr CTL_OPTIMIZE 2"));
    }

    // ------------------------------------------------------------------ flags

    @Test
    void absentFlagsMeanSpecAllowWhereTheKernelHasIt() throws Exception {
        SeccompCompiler.Result r = compile(profile("SCMP_ACT_ALLOW", null, rule("SCMP_ACT_ERRNO", "mkdir")));
        assertEquals(LibSeccomp.FLAG_SPEC_ALLOW, r.program().flags());
        assertTrue(lib.calls.contains("attr CTL_SSB 1"));
        lib.kernelFlags &= ~LibSeccomp.FLAG_SPEC_ALLOW;
        assertEquals(0L, compile(profile("SCMP_ACT_ALLOW", null, rule("SCMP_ACT_ERRNO", "mkdir"))).program().flags());
    }

    @Test
    void listedFlagsMapToTheKernelsBits() throws Exception {
        SeccompCompiler.Result r = compile(profile("SCMP_ACT_ALLOW",
                List.of("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"),
                rule("SCMP_ACT_ERRNO", "mkdir")));
        assertEquals(LibSeccomp.FLAG_LOG | LibSeccomp.FLAG_SPEC_ALLOW | LibSeccomp.FLAG_TSYNC, r.program().flags());
        assertTrue(lib.calls.containsAll(List.of("attr CTL_NNP 0", "attr CTL_LOG 1", "attr CTL_SSB 1")));
    }

    @Test
    void aFlagTheKernelLacksIsRefused() {
        lib.kernelFlags &= ~LibSeccomp.FLAG_LOG;
        SeccompException e = assertThrows(SeccompException.class, () -> compile(profile("SCMP_ACT_ALLOW",
                List.of("SECCOMP_FILTER_FLAG_LOG"), rule("SCMP_ACT_ERRNO", "mkdir"))));
        assertEquals("seccomp: this kernel does not support the flag SECCOMP_FILTER_FLAG_LOG", e.getMessage());
        assertTrue(lib.calls.isEmpty(), "refused before libseccomp is asked anything");
    }

    @Test
    void notifyAddsTheListenerFlag() throws Exception {
        LinuxSeccomp s = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null,
                List.of("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "SECCOMP_FILTER_FLAG_TSYNC"), "/run/agent.sock",
                "meta", List.of(rule("SCMP_ACT_NOTIFY", "mkdir")));
        PlanContext.SeccompProgram p = compile(s).program();
        assertTrue(p.hasListener());
        assertEquals(LibSeccomp.FLAG_NEW_LISTENER | LibSeccomp.FLAG_WAIT_KILLABLE_RECV | LibSeccomp.FLAG_TSYNC
                | LibSeccomp.FLAG_TSYNC_ESRCH, p.flags(), "TSYNC with a listener needs TSYNC_ESRCH");
    }

    @Test
    void waitKillableRecvWithoutAListenerIsDropped() throws Exception {
        PlanContext.SeccompProgram p = compile(profile("SCMP_ACT_ALLOW",
                List.of("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), rule("SCMP_ACT_ERRNO", "mkdir"))).program();
        assertEquals(0L, p.flags(), "the kernel takes it only with NEW_LISTENER");
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void refusals() {
        assertRefused("SCMP_ACT_NOTIFY cannot be used as default action",
                profile("SCMP_ACT_NOTIFY", List.of(), rule("SCMP_ACT_ALLOW", "read")));
        assertRefused("seccomp: syscalls[0].errnoRet: SCMP_ACT_ALLOW takes no errno",
                profile("SCMP_ACT_ERRNO", List.of(), rule("SCMP_ACT_ALLOW", 1L, null, "read")));
        assertRefused("seccomp: defaultAction: unknown action \"SCMP_ACT_MAYBE\"",
                profile("SCMP_ACT_MAYBE", List.of(), rule("SCMP_ACT_ALLOW", "read")));
        assertRefused("seccomp: syscalls[0].errnoRet: 5000 is out of range (0 to 4095)",
                profile("SCMP_ACT_ALLOW", List.of(), rule("SCMP_ACT_ERRNO", 5000L, null, "read")));
        assertRefused("SCMP_ACT_NOTIFY cannot be used for the write syscall",
                new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, "/a.sock", null,
                        List.of(rule("SCMP_ACT_NOTIFY", "write"))));
        assertRefused("seccomp: SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath",
                profile("SCMP_ACT_ALLOW", null, rule("SCMP_ACT_NOTIFY", "mkdir")));
        assertRefused("seccomp: architecture SCMP_ARCH_M68K is not supported by libseccomp 2.5.4",
                new LinuxSeccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_M68K"), null, null, null,
                        List.of(rule("SCMP_ACT_ERRNO", "mkdir"))));
        assertRefused("seccomp: unknown flag \"SECCOMP_FILTER_FLAG_NEW_LISTENER\"", profile("SCMP_ACT_ALLOW",
                List.of("SECCOMP_FILTER_FLAG_NEW_LISTENER"), rule("SCMP_ACT_ERRNO", "mkdir")));
        assertRefused("seccomp: syscalls[0]: argument index 6 is not 0 to 5", profile("SCMP_ACT_ALLOW", null,
                rule("SCMP_ACT_ERRNO", null, List.of(arg(6, "SCMP_CMP_EQ", 1, null)), "mkdir")));
    }

    @Test
    void anActionTheKernelLacksIsRefused() {
        lib.kernelActions.remove(LibSeccomp.ACT_LOG);
        assertRefused("seccomp: this kernel does not support SCMP_ACT_LOG",
                profile("SCMP_ACT_ALLOW", null, rule("SCMP_ACT_LOG", "mkdir")));
    }

    private void assertRefused(String message, LinuxSeccomp s) {
        SeccompException e = assertThrows(SeccompException.class, () -> compile(s));
        assertEquals(message, e.getMessage());
    }
}
