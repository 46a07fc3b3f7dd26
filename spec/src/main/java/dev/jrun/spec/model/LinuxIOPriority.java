package dev.jrun.spec.model;

/**
 * ioprio_set(2) parameters.
 *
 * @param ioClass JSON {@code class} (a Java keyword): IOPRIO_CLASS_RT, _BE or _IDLE
 * @param priority Go {@code int}, 0 (highest) to 7 (lowest)
 */
public record LinuxIOPriority(
        @Go(json = "class", omitempty = false) String ioClass,
        @Go(value = "int", omitempty = false) Long priority) {}
