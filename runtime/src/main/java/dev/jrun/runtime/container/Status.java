package dev.jrun.runtime.container;

/** A container's status, worded as runc and the OCI spec word it. */
public enum Status {
    CREATING("creating"),
    CREATED("created"),
    RUNNING("running"),
    PAUSED("paused"),
    STOPPED("stopped");

    public final String word;

    Status(String word) {
        this.word = word;
    }
}
