package dev.jrun.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Without libseccomp2, create says which package is missing (and not dlopen's ENOENT text). */
class LibSeccompMissingTest {
    @Test
    void namesThePackage() {
        assertEquals("seccomp needs libseccomp.so.2 from the Debian package libseccomp2, which is not installed on "
                + "this host", NativeLibSeccomp.missing(new UnsatisfiedLinkError(
                        "libseccomp.so.2: cannot open shared object file: No such file or directory\nLibrary names\n")));
        assertEquals("seccomp needs libseccomp.so.2 from the Debian package libseccomp2, which cannot be loaded: "
                + "undefined symbol: seccomp_api_get", NativeLibSeccomp.missing(
                        new UnsatisfiedLinkError("undefined symbol: seccomp_api_get\nmore")));
    }
}
