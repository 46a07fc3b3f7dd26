package dev.jrun.runtime.plan;

/** How jrun-init resolves a mount destination inside the rootfs (a {@link Step.Bind}'s resolve). */
public final class Resolve {
    /** Symlinks are followed, but never out of the rootfs (openat2 RESOLVE_IN_ROOT). */
    public static final long IN_ROOT = 0;
    /** Any symlink on the way is refused: procfs and sysfs must land exactly where named. */
    public static final long NO_SYMLINKS = 1;

    private Resolve() {
    }
}
