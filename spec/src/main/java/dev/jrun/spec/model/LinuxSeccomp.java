package dev.jrun.spec.model;

import java.util.List;

/**
 * The seccomp filter.
 *
 * @param defaultErrnoRet Go {@code uint}: unsigned
 */
public record LinuxSeccomp(
        @Go(omitempty = false) String defaultAction,
        @Go("*uint") Long defaultErrnoRet,
        List<String> architectures,
        List<String> flags,
        String listenerPath,
        String listenerMetadata,
        List<LinuxSyscall> syscalls) {

    public LinuxSeccomp {
        architectures = Copy.list(architectures);
        flags = Copy.list(flags);
        syscalls = Copy.list(syscalls);
    }
}
