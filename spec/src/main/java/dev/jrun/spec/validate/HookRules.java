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
        list(hooks.prestart(), field(Json.Spec.hooks, Json.Hooks.prestart));
        list(hooks.createRuntime(), field(Json.Spec.hooks, Json.Hooks.createRuntime));
        list(hooks.createContainer(), field(Json.Spec.hooks, Json.Hooks.createContainer));
        list(hooks.startContainer(), field(Json.Spec.hooks, Json.Hooks.startContainer));
        list(hooks.poststart(), field(Json.Spec.hooks, Json.Hooks.poststart));
        list(hooks.poststop(), field(Json.Spec.hooks, Json.Hooks.poststop));
    }

    private void list(List<Hook> hooks, String at) {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            Hook h = hooks.get(i);
            String here = index(at, i);
            if (isEmpty(h.path())) {
                f.error(field(here, Json.Hook.path), "must be set");
            } else if (!isAbsolute(h.path())) {
                f.error(field(here, Json.Hook.path), "must be an absolute path");
            }
            if (h.timeout() != null && h.timeout() <= 0) {
                f.error(field(here, Json.Hook.timeout), "must be greater than 0");
            }
        }
    }
}
