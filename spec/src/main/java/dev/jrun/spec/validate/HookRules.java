package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.Checks.isAbsolute;
import static dev.jrun.spec.validate.Checks.isEmpty;
import static dev.jrun.spec.validate.JsonPath.field;
import static dev.jrun.spec.validate.JsonPath.index;

import dev.jrun.spec.model.Hook;
import dev.jrun.spec.model.Hooks;
import java.util.List;

/** The lifecycle hooks: an absolute path and a positive timeout each. */
final class HookRules {
    private final Findings f;

    HookRules(Findings f) {
        this.f = f;
    }

    void check(Hooks hooks) {
        list(hooks.prestart(), "hooks.prestart");
        list(hooks.createRuntime(), "hooks.createRuntime");
        list(hooks.createContainer(), "hooks.createContainer");
        list(hooks.startContainer(), "hooks.startContainer");
        list(hooks.poststart(), "hooks.poststart");
        list(hooks.poststop(), "hooks.poststop");
    }

    private void list(List<Hook> hooks, String at) {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            Hook h = hooks.get(i);
            String here = index(at, i);
            if (isEmpty(h.path())) {
                f.error(field(here, "path"), "must be set");
            } else if (!isAbsolute(h.path())) {
                f.error(field(here, "path"), "must be an absolute path");
            }
            if (h.timeout() != null && h.timeout() <= 0) {
                f.error(field(here, "timeout"), "must be greater than 0");
            }
        }
    }
}
