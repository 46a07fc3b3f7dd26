package dev.jrun.testbundles;

import java.nio.file.Path;

/**
 * Builds the README's demo bundle: busybox, the probe, and a shell that says where it runs.
 * usage: DemoBundle DIR PROBE
 */
public final class DemoBundle {
    private DemoBundle() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DemoBundle DIR PROBE");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        FileTrees.delete(dir);
        BusyboxBundle.withProbe(Path.of(args[1])).create(dir, c -> c
                .hostname("jrun-demo")
                .cgroupsPath("/jrun-demo")
                .args("/bin/sh", "-c", "echo \"hello from $(hostname), pid $$, uid $(id -u), in a jrun container\"; "
                        + "echo 'mounts:'; cut -d' ' -f2,3 /proc/mounts | head -n 12; "
                        + "echo \"capabilities: $(grep CapEff /proc/self/status)\""));
        System.out.println(dir.toAbsolutePath());
    }
}
