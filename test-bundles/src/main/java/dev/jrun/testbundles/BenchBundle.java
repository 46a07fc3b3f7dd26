package dev.jrun.testbundles;

import java.nio.file.Path;

/**
 * Builds `make bench`'s bundle: busybox running /bin/true with runc's default config, no
 * terminal, its cgroup under the caller's (the default), so jrun and runc run the same thing.
 * usage: BenchBundle DIR PROBE
 */
public final class BenchBundle {
    private BenchBundle() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BenchBundle DIR PROBE");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        FileTrees.delete(dir);
        BusyboxBundle.withProbe(Path.of(args[1])).create(dir, c -> c.args("/bin/true"));
        System.out.println(dir.toAbsolutePath());
    }
}
