package dev.jrun.testbundles;

import java.nio.file.Path;
import java.util.List;

/**
 * The bundle the class-data archive is recorded with: a long-running busybox container with
 * the limits, hooks-free config and seccomp profile shape production containers have, so the
 * recorded classes are the ones real calls load.  usage: TrainingBundle DIR PROBE
 */
public final class TrainingBundle {
    private TrainingBundle() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TrainingBundle DIR PROBE");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        FileTrees.delete(dir);
        BusyboxBundle.withProbe(Path.of(args[1])).create(dir, c -> c
                .args("/bin/sleep", "30")
                .cgroupsPath("/jrun-train-" + ProcessHandle.current().pid())
                .pidsLimit(1000)
                .memoryLimit(256L << 20)
                .seccomp(new dev.jrun.spec.model.LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, null, null,
                        List.of(new dev.jrun.spec.model.LinuxSyscall(List.of("kexec_load"), "SCMP_ACT_ERRNO", null,
                                null)))));
        System.out.println(dir.toAbsolutePath());
    }
}
