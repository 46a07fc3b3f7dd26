package dev.jrun.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrun.runtime.linux.LibSeccomp;
import dev.jrun.spec.model.Features;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `jrun features` lists only what this kernel and this libseccomp can do. */
class SeccompFeaturesTest {
    @Test
    void onlyWhatTheHostSupports() {
        FakeLibSeccomp lib = new FakeLibSeccomp();
        lib.kernelActions.remove(LibSeccomp.ACT_NOTIFY);
        lib.kernelFlags &= ~LibSeccomp.FLAG_WAIT_KILLABLE_RECV;
        Features.Seccomp f = SeccompFeatures.of(lib);
        assertEquals(Boolean.TRUE, f.enabled());
        assertEquals(List.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"), f.actions());
        assertEquals(List.of("SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
                "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"), f.operators());
        assertEquals(List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_S390X", "SCMP_ARCH_X32", "SCMP_ARCH_X86",
                "SCMP_ARCH_X86_64"), f.archs(), "the ones this libseccomp resolves");
        assertEquals(List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), f.knownFlags());
        assertEquals(List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW"), f.supportedFlags());
    }

    @Test
    void theCompilerMapsExactlyTheNamesValidationKnows() {
        org.junit.jupiter.api.Assertions.assertEquals(dev.jrun.spec.linux.SeccompNames.ACTIONS,
                java.util.List.copyOf(SeccompTables.ACTIONS.keySet()));
        org.junit.jupiter.api.Assertions.assertEquals(dev.jrun.spec.linux.SeccompNames.OPERATORS,
                java.util.List.copyOf(SeccompTables.OPERATORS.keySet()));
        org.junit.jupiter.api.Assertions.assertEquals(dev.jrun.spec.linux.SeccompNames.FLAGS,
                java.util.List.copyOf(SeccompTables.FLAGS.keySet()));
    }
}
