package dev.jrun.runtime.plan;

import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;

/**
 * Compiles a validated config into the init plan, in the order DESIGN.md §2 fixes: namespaces,
 * then the filesystem, process attributes, credentials, and the hand-over to the container's
 * process.  Pure: all host facts come in through {@link PlanContext}, so golden plans are
 * tested without root.
 */
public final class PlanCompiler {
    private PlanCompiler() {
    }

    /**
     * `exec`: what a new process needs to join a running container.
     *
     * @param pidfd executor fd of a pidfd of the container's init, pinned before its identity was checked
     * @param namespaces the CLONE_NEW* flags of the container's namespaces, joined at once through the pidfd
     */
    public record ExecContext(int pidfd, long namespaces) {
    }

    /** @throws PlanException for a config the validator accepts but this host cannot honour */
    public static InitPlan compile(Spec spec, PlanContext ctx) throws PlanException {
        Compilation c = new Compilation(spec, spec.process(), ctx, null);
        Unsupported.refuse(c);
        NamespaceSteps.create(c);
        FilesystemSteps.build(c);
        ProcessSteps.add(c);
        CredentialSteps.add(c);
        HandOverSteps.add(c);
        return c.plan();
    }

    /**
     * `restore`: the executor prepares the rootfs for CRIU in a mount namespace of its own and
     * runs CRIU (see {@link CriuRestoreSteps}).
     *
     * @param criu absolute path of the criu binary
     * @param argv CRIU's arguments, argv[0] first
     */
    public static InitPlan compileCriuRestore(Spec spec, PlanContext ctx, String criu, java.util.List<String> argv,
            java.util.List<String> env) throws PlanException {
        Compilation c = new Compilation(spec, spec.process(), ctx, null);
        CriuRestoreSteps.add(c, criu, argv, env);
        return c.plan();
    }

    /**
     * The plan for `exec`: join every namespace of the running container (its filesystem is
     * already set up), then give the new process its own identity, limits and filter.
     *
     * @param container the container's config (its snapshot), for namespaces and container-wide settings
     */
    public static InitPlan compileExec(Spec container, Process process, PlanContext ctx, ExecContext exec)
            throws PlanException {
        Compilation c = new Compilation(container, process, ctx, exec);
        Unsupported.refuseLabels(c);
        NamespaceSteps.join(c);
        c.add(new Step.OpenRoot(), "open the container's root");
        ProcessSteps.console(c, false);
        ProcessSteps.add(c);
        CredentialSteps.add(c);
        HandOverSteps.add(c);
        return c.plan();
    }
}
