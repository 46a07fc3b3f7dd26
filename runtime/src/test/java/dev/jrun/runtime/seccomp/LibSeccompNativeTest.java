package dev.jrun.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.linux.LibSeccomp;
import dev.jrun.runtime.linux.LibraryMissingException;
import dev.jrun.spec.SpecReader;
import dev.jrun.spec.model.Features;
import dev.jrun.spec.model.LinuxSeccomp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real libseccomp (Debian's libseccomp2) on x86_64: compiling needs no privilege, and the
 * programs it gives are run here by {@link BpfRunner} rather than loaded.
 */
class LibSeccompNativeTest {
    static final int X86_64 = 0xc000003e;
    static final int X86 = 0x40000003;
    static final int ALLOW = LibSeccomp.ACT_ALLOW;
    static final int EPERM = LibSeccomp.errnoAction(1);
    static final int ENOSYS = LibSeccomp.errnoAction(38);
    static LibSeccomp lib;

    @BeforeAll
    static void load() throws LibraryMissingException {
        Assumptions.assumeTrue("amd64".equals(System.getProperty("os.arch")), "the numbers below are x86_64's");
        lib = LibSeccomp.get();
    }

    static LinuxSeccomp parse(String json) throws Exception {
        String config = "{\"ociVersion\":\"1.0.2\",\"linux\":{\"seccomp\":" + json + "}}";
        return SpecReader.readConfig(config.getBytes(StandardCharsets.UTF_8), "profile.json").linux().seccomp();
    }

    static List<Insn> program(LinuxSeccomp s) throws SeccompException {
        SeccompCompiler.Result r = SeccompCompiler.compile(s, lib);
        List<Insn> p = Insn.decode(r.program().bpf());
        assertNull(Insn.check(p));
        return p;
    }

    @Test
    void resolvesNames() {
        assertTrue(lib.version().matches("2\\.\\d+\\.\\d+"), lib.version());
        assertEquals(X86_64, lib.nativeArch());
        assertEquals(X86_64, lib.resolveArch("x86_64"));
        assertEquals(0x4000003e, lib.resolveArch("x32"));
        assertEquals(0, lib.resolveArch("vax"));
        assertEquals(39, lib.resolveSyscall(LibSeccomp.ARCH_NATIVE, "getpid"));
        assertEquals(20, lib.resolveSyscall(X86, "getpid"));
        assertEquals(0x40000000 | 39, lib.resolveSyscall(0x4000003e, "getpid"), "x32 numbers carry bit 30");
        assertEquals(LibSeccomp.NR_UNKNOWN, lib.resolveSyscall(LibSeccomp.ARCH_NATIVE, "no_such_call"));
        assertTrue(lib.resolveSyscall(LibSeccomp.ARCH_NATIVE, "socketcall") < -1, "i386's, a pseudo number here");
    }

    @Test
    void probesTheKernel() {
        assertTrue(lib.kernelHasAction(LibSeccomp.ACT_LOG));
        assertTrue(lib.kernelHasAction(LibSeccomp.ACT_KILL_PROCESS));
        assertFalse(lib.kernelHasAction(0x12340000));
        assertTrue(lib.kernelHasFlags(LibSeccomp.FLAG_LOG));
        assertTrue(lib.kernelHasFlags(0), "no flags");
        assertFalse(lib.kernelHasFlags(1L << 20), "a flag no kernel has");
        assertFalse(lib.kernelHasFlags(LibSeccomp.FLAG_WAIT_KILLABLE_RECV), "only with NEW_LISTENER");
    }

    @Test
    void argumentFiltersAndTheStubTogether() throws Exception {
        List<Insn> p = program(parse("""
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
                 "syscalls": [
                  {"names": ["getpid", "read"], "action": "SCMP_ACT_ALLOW"},
                  {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                   "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
                  {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
                   "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 16, "op": "SCMP_CMP_EQ"}]},
                  {"names": ["mkdir"], "action": "SCMP_ACT_ALLOW",
                   "args": [{"index": 1, "value": 448, "valueTwo": 448, "op": "SCMP_CMP_MASKED_EQ"}]}
                 ]}"""));
        assertEquals(ALLOW, BpfRunner.run(p, 39, X86_64));
        assertEquals(ALLOW, BpfRunner.run(p, 20, X86), "i386's getpid");
        assertEquals(ALLOW, BpfRunner.run(p, 135, X86_64, 8));
        assertEquals(EPERM, BpfRunner.run(p, 135, X86_64, 0), "personality(0): no rule matches");
        assertEquals(LibSeccomp.errnoAction(13), BpfRunner.run(p, 41, X86_64, 1), "AF_UNIX");
        assertEquals(LibSeccomp.errnoAction(13), BpfRunner.run(p, 41, X86_64, 16), "AF_NETLINK: ORed");
        assertEquals(EPERM, BpfRunner.run(p, 41, X86_64, 2), "AF_INET: the default");
        assertEquals(ALLOW, BpfRunner.run(p, 83, X86_64, 0, 0755), "mode & 0700 == 0700");
        assertEquals(EPERM, BpfRunner.run(p, 83, X86_64, 0, 0500));
        assertEquals(EPERM, BpfRunner.run(p, 100, X86_64), "older than the profile: the default");
        assertEquals(ENOSYS, BpfRunner.run(p, 200, X86_64), "newer than the profile");
        assertEquals(ENOSYS, BpfRunner.run(p, 435, X86_64), "clone3");
        assertEquals(LibSeccomp.ACT_KILL_THREAD, BpfRunner.run(p, 39, 0xc00000b7), "aarch64: a bad architecture");
    }

    @Test
    void dockersDefaultProfile() throws Exception {
        Path file = Path.of("../cli/src/test/resources/seccomp/docker-default.json");
        Assumptions.assumeTrue(Files.exists(file), file + " (the integration tests' copy)");
        LinuxSeccomp s = parse(Files.readString(file));
        SeccompCompiler.Result r = SeccompCompiler.compile(s, lib);
        List<Insn> p = Insn.decode(r.program().bpf());
        assertNull(Insn.check(p));
        assertEquals(LibSeccomp.FLAG_SPEC_ALLOW, r.program().flags(), "no flags: runc's default, SPEC_ALLOW");
        assertEquals(ALLOW, BpfRunner.run(p, 39, X86_64));
        assertEquals(ALLOW, BpfRunner.run(p, 20, X86));
        assertEquals(ALLOW, BpfRunner.run(p, 0x40000000 | 39, X86_64), "x32's getpid");
        assertEquals(ENOSYS, BpfRunner.run(p, 435, X86_64), "docker's own clone3 rule");
        assertEquals(ALLOW, BpfRunner.run(p, 41, X86_64, 2), "socket(AF_INET)");
        assertEquals(EPERM, BpfRunner.run(p, 41, X86_64, 40), "socket(AF_VSOCK)");
        assertEquals(ALLOW, BpfRunner.run(p, 56, X86_64, 0x11), "clone without namespace flags");
        assertEquals(EPERM, BpfRunner.run(p, 56, X86_64, 0x20000000), "clone(CLONE_NEWUSER)");
        assertEquals(EPERM, BpfRunner.run(p, 165, X86_64), "mount");
        assertEquals(ENOSYS, BpfRunner.run(p, 600, X86_64));
    }

    @Test
    void featuresOfThisHost() {
        Features.Seccomp f = SeccompFeatures.of(lib);
        assertEquals(Boolean.TRUE, f.enabled());
        assertTrue(f.actions().containsAll(List.of("SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
                "SCMP_ACT_KILL_PROCESS")), f.actions().toString());
        assertEquals(7, f.operators().size());
        assertTrue(f.archs().containsAll(List.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
                "SCMP_ARCH_AARCH64")), f.archs().toString());
        assertEquals(List.copyOf(SeccompTables.FLAGS.keySet()), f.knownFlags());
        assertTrue(f.supportedFlags().containsAll(List.of("SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW")), f.supportedFlags().toString());
    }
}
