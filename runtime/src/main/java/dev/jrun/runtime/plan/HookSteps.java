package dev.jrun.runtime.plan;

import dev.jrun.spec.model.Hook;
import java.util.List;

/** The hooks that run inside the container (createContainer, startContainer): jrun-init runs them. */
final class HookSteps {
    private HookSteps() {
    }

    static void add(Compilation c, String kind, List<Hook> hooks) {
        add(c, kind, hooks, null);
    }

    /**
     * @param processEnv the container process's environment, which a startContainer hook gets
     *     when it names none (runc's historical behaviour), or null
     */
    static void add(Compilation c, String kind, List<Hook> hooks, ProcessEnv processEnv) {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            Hook hook = hooks.get(i);
            List<String> args = hook.args() == null || hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
            boolean inherit = hook.env() == null && processEnv != null;
            List<String> env = hook.env() != null ? hook.env() : inherit ? processEnv.variables() : List.of();
            String name = kind + " hook #" + i;
            c.add(new Step.RunHook(name, hook.path(), args, env, hook.timeout() == null ? 0L : hook.timeout(),
                    kind.equals("createContainer"), inherit && processEnv.needsHome()), "run " + name);
        }
    }
}
