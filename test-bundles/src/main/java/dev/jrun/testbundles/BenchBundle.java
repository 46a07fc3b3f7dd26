package dev.jrun.testbundles;

import java.nio.file.Path;

/**
 * Builds `make bench`'s bundle: busybox running /bin/true with runc's default config, no
 * terminal, its cgroup under the caller's (the default), so jrun and runc run the same thing.
 * usage: BenchBundle DIR PROBE [COMMAND ARGS...] (default /bin/true)
 */
public final class BenchBundle {
    private BenchBundle() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BenchBundle DIR PROBE [COMMAND ARGS...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        FileTrees.delete(dir);
        java.util.List<String> command = args.length > 2 ? java.util.List.of(args).subList(2, args.length)
                : java.util.List.of("/bin/true");
        BusyboxBundle.withProbe(Path.of(args[1])).create(dir, c -> c.args(command));
        System.out.println(dir.toAbsolutePath());
    }
}
