package dev.jrun.runtime.plan;

import dev.jrun.spec.model.Hook;
import java.util.List;

/** The hooks that run inside the container (createContainer, startContainer): jrun-init runs them. */
final class HookSteps {
    private HookSteps() {
    }

    static void add(Compilation c, String kind, List<Hook> hooks) {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            Hook hook = hooks.get(i);
            List<String> args = hook.args() == null || hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
            String name = kind + " hook #" + i;
            c.add(new Step.RunHook(name, hook.path(), args, hook.env() == null ? List.of() : hook.env(),
                    hook.timeout() == null ? 0L : hook.timeout(), kind.equals("createContainer")), "run " + name);
        }
    }
}
