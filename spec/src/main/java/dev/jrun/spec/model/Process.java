package dev.jrun.spec.model;

import java.util.List;

/**
 * The container process ({@code process} in config.json, or the file of {@code exec --process}).
 *
 * @param commandLine Windows only; Linux runtimes ignore it
 * @param oomScoreAdj Go {@code int}; the kernel accepts -1000..1000
 */
public record Process(
        Boolean terminal,
        Box consoleSize,
        @Go(omitempty = false) User user,
        List<String> args,
        String commandLine,
        List<String> env,
        @Go(omitempty = false) String cwd,
        LinuxCapabilities capabilities,
        List<POSIXRlimit> rlimits,
        Boolean noNewPrivileges,
        String apparmorProfile,
        @Go("*int") Long oomScoreAdj,
        Scheduler scheduler,
        String selinuxLabel,
        LinuxIOPriority ioPriority,
        CPUAffinity execCPUAffinity) {

    public Process {
        args = Copy.list(args);
        env = Copy.list(env);
        rlimits = Copy.list(rlimits);
    }

    public boolean isTerminal() {
        return Boolean.TRUE.equals(terminal);
    }

    public boolean isNoNewPrivileges() {
        return Boolean.TRUE.equals(noNewPrivileges);
    }
}
