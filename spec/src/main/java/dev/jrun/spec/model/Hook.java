package dev.jrun.spec.model;

import java.util.List;

/**
 * A program run at a lifecycle event.
 *
 * @param timeout Go {@code int} seconds; {@code null} means no timeout
 */
public record Hook(
        @Go(omitempty = false) String path,
        List<String> args,
        List<String> env,
        @Go("*int") Long timeout) {

    public Hook {
        args = Copy.list(args);
        env = Copy.list(env);
    }
}
