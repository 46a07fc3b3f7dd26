package dev.jrun.testbundles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The in-container probe ({@code test-bundles/src/main/c/jrun-probe.c}): where to find its source
 * and binary, how to compile it, and helpers to build its command lines and read its output.
 *
 * <p>Modes (argv[1]): none or {@code info} (the full report; {@code --sysctl NAME} adds sysctl
 * values), {@code stat PATH…}, {@code read PATH}, {@code write PATH DATA}, {@code mount-umount PATH
 * [detach|force]}, {@code syscall [--inline] NAME ARGS…}, {@code sleep SECONDS [--trap]},
 * {@code exit CODE}, {@code alloc MIB [HOLD]}, {@code fork N [HOLD]}, {@code spin SECONDS}.
 * Each prints one JSON object on stdout.
 */
public final class Probe {

    /** The probe's path inside a busybox bundle. */
    public static final String IN_CONTAINER = "/bin/jrun-probe";

    /** The gcc command line used to build it (append the output and source paths). */
    public static final List<String> GCC_FLAGS = List.of("-static", "-O2", "-Wall", "-Wextra");

    /** The top-level keys of the default ({@code info}) report. */
    public static final List<String> INFO_KEYS = List.of(
            "pid", "ppid", "hostname", "domainname", "uid", "euid", "suid", "gid", "egid", "sgid", "groups",
            "umask", "cwd", "env", "args", "caps", "no_new_privs", "seccomp", "seccomp_filters", "rlimits",
            "namespaces", "mounts", "fds", "fd_targets", "cgroup", "oom_score_adj", "personality",
            "sched_policy", "sched_priority", "ioprio", "cpu_affinity", "tty", "ttyname", "ctty", "winsize",
            "exe", "sysctl", "apparmor", "selinux", "time");

    /** The keys of {@code caps}. */
    public static final List<String> CAP_SETS = List.of("bounding", "effective", "permitted", "inheritable", "ambient");

    /** The keys of {@code namespaces}. */
    public static final List<String> NAMESPACES = List.of("cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
            "time", "time_for_children", "user", "uts");

    /** The keys of {@code rlimits}. */
    public static final List<String> RLIMITS = List.of("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK",
            "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS",
            "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    /** The keys of each element of {@code mounts}. */
    public static final List<String> MOUNT_KEYS = List.of("mount_point", "fstype", "source", "options",
            "super_options", "propagation");

    private Probe() {}

    /** The container command line for a probe mode: {@code ["/bin/jrun-probe", mode, args…]}. */
    public static List<String> command(String mode, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(IN_CONTAINER);
        cmd.add(mode);
        cmd.addAll(Arrays.asList(args));
        return List.copyOf(cmd);
    }

    /** Parses the probe's stdout (one JSON object). */
    public static Map<String, Object> parse(String stdout) {
        return Json.parseObject(stdout.strip());
    }

    /** The repository root: system property {@code jrun.repo} (set by the parent pom's surefire config) or a guess. */
    public static Path repoRoot() {
        String prop = System.getProperty("jrun.repo");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop, "test-bundles"))) {
            return Path.of(prop);
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("test-bundles").resolve("src/main/c"))) {
                return p;
            }
        }
        return cwd;
    }

    /** The probe's C source in the repository. */
    public static Path source() {
        return repoRoot().resolve("test-bundles/src/main/c/jrun-probe.c");
    }

    /**
     * The built probe: system property {@code jrun.probe} if set, else {@code jrun-probe} in the
     * directory named by {@code jrun.native} (which {@code make test} passes), else
     * {@code <repo>/build/native/jrun-probe} (where the Makefile puts it).
     */
    public static Path binary() {
        String prop = System.getProperty("jrun.probe");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String nativeDir = System.getProperty("jrun.native");
        if (nativeDir != null && !nativeDir.isBlank()) {
            return Path.of(nativeDir, "jrun-probe");
        }
        return repoRoot().resolve("build/native/jrun-probe");
    }

    /**
     * The built probe if it exists and is at least as new as the source; otherwise compiles it
     * into {@code fallbackDir} and returns that.
     */
    public static Path binaryOrCompile(Path fallbackDir) throws IOException {
        Path bin = binary();
        Path src = source();
        if (Files.isRegularFile(bin) && (!Files.exists(src)
                || Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(src)) >= 0)) {
            return bin;
        }
        return compile(src, fallbackDir.resolve("jrun-probe"));
    }

    /** Compiles {@code source} with {@code gcc -static -O2 -Wall -Wextra}; fails on any warning. */
    public static Path compile(Path source, Path output) throws IOException {
        Files.createDirectories(output.toAbsolutePath().getParent());
        List<String> cmd = new ArrayList<>();
        cmd.add("gcc");
        cmd.addAll(GCC_FLAGS);
        cmd.add("-o");
        cmd.add(output.toString());
        cmd.add(source.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run gcc (install gcc and the static C library, libc6-dev): "
                    + e.getMessage(), e);
        }
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("gcc timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("gcc failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + out);
        }
        if (!out.isBlank()) {
            throw new IOException("gcc printed warnings: " + String.join(" ", cmd) + "\n" + out);
        }
        return output;
    }
}
