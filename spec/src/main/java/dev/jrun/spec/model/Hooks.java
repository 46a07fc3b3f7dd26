package dev.jrun.spec.model;

import java.util.List;

/** The lifecycle hooks; {@code prestart} is deprecated but still run (docker uses it). */
public record Hooks(
        List<Hook> prestart,
        List<Hook> createRuntime,
        List<Hook> createContainer,
        List<Hook> startContainer,
        List<Hook> poststart,
        List<Hook> poststop) {

    public Hooks {
        prestart = Copy.list(prestart);
        createRuntime = Copy.list(createRuntime);
        createContainer = Copy.list(createContainer);
        startContainer = Copy.list(startContainer);
        poststart = Copy.list(poststart);
        poststop = Copy.list(poststop);
    }
}
