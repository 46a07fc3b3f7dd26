package dev.jrun.spec.model;

import java.util.List;

/**
 * One seccomp rule.
 *
 * @param errnoRet Go {@code uint}: unsigned
 */
public record LinuxSyscall(
        @Go(omitempty = false) List<String> names,
        @Go(omitempty = false) String action,
        @Go("*uint") Long errnoRet,
        List<LinuxSeccompArg> args) {

    public LinuxSyscall {
        names = Copy.list(names);
        args = Copy.list(args);
    }
}
