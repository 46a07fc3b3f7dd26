package dev.jrun.runtime.plan;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import java.util.ArrayList;
import java.util.List;

/** What every phase of the compiler reads, and the plan they append to. */
final class Compilation {
    final Spec spec;
    final Process process;
    final Linux linux;
    final PlanContext ctx;
    /** Set when the plan starts another process in a running container rather than creating one. */
    final PlanCompiler.ExecContext exec;
    private final List<InitPlan.Entry> entries = new ArrayList<>();
    /** Bind mounts whose source jrun-init cloned before entering any namespace (fallbacks, id-mapped trees), by slot. */
    final java.util.Map<dev.jrun.spec.model.Mount, Integer> sourceSlots = new java.util.IdentityHashMap<>();

    Compilation(Spec spec, Process process, PlanContext ctx, PlanCompiler.ExecContext exec) {
        this.spec = spec;
        this.process = process;
        this.linux = spec.linux() != null ? spec.linux() : emptyLinux();
        this.ctx = ctx;
        this.exec = exec;
    }

    boolean isExec() {
        return exec != null;
    }

    /** Appends a step; the description names it in an error message. */
    void add(Step step, String description) {
        entries.add(new InitPlan.Entry(step, description));
    }

    /** Appends a step with runc's sentence for some of its failures (null: none). */
    void add(Step step, String description, InitPlan.Explained explained) {
        entries.add(new InitPlan.Entry(step, description, explained));
    }

    InitPlan plan() {
        return new InitPlan(entries);
    }

    /** Whether a console socket gives the process a terminal. */
    boolean hasConsole() {
        return process.isTerminal() && ctx.invocation().consoleSocketFd() >= 0;
    }

    static boolean notBlank(String s) {
        return s != null && !s.isEmpty();
    }

    static boolean notEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }

    private static Linux emptyLinux() {
        return new Linux(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }
}
