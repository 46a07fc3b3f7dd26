package dev.jrun.cli.it.managers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * podman with a private configuration: its own containers.conf (CONTAINERS_CONF), storage.conf
 * (CONTAINERS_STORAGE_CONF, the vfs driver) and registries.conf, every directory under
 * {@code dir}, the cgroupfs manager, file events and file locks, no network, and jrun
 * registered by name in {@code [engine.runtimes]} and in {@code runtime_supports_json} (so
 * conmon passes {@code --log-format=json --log F}). podman passes jrun no {@code --root}, so
 * jrun keeps these containers' state in its default /run/jrun.
 */
final class Podman {
    static final String PODMAN = "podman";

    final Path dir;
    final Map<String, String> env;
    final String cgroupParent;

    private Podman(Path dir, Map<String, String> env, String cgroupParent) {
        this.dir = dir;
        this.env = env;
        this.cgroupParent = cgroupParent;
    }

    /**
     * Writes the configuration into {@code dir} with {@code runtimes} (name → binary; the first
     * is the default) and containers under the top-level cgroup {@code /cgroupParent}.
     */
    static Podman setUp(Path dir, Map<String, Path> runtimes, String defaultRuntime, String cgroupParent)
            throws IOException {
        // podman refuses a runroot longer than 50 characters, and only in the cleanup process
        // conmon runs when a container exits (the caller then waits 20 s for a cleanup that never comes)
        Path runroot = dir.resolve("run");
        if (runroot.toString().length() > 50) {
            throw new IllegalArgumentException("podman's runroot must be at most 50 characters: " + runroot);
        }
        Files.createDirectories(dir.resolve("tmp"));
        Files.createDirectories(dir.resolve("networks"));
        StringBuilder table = new StringBuilder();
        for (Map.Entry<String, Path> r : runtimes.entrySet()) {
            table.append(r.getKey()).append(" = [\"").append(r.getValue()).append("\"]\n");
        }
        String conf = """
                [containers]
                netns = "none"
                # what this process may already have: raising a hard limit needs CAP_SYS_RESOURCE,
                # which a sandbox may not grant (podman's default is 1048576 for both)
                default_ulimits = ["nofile=@NOFILE@:@NOFILE@", "nproc=@NPROC@:@NPROC@"]

                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                events_logfile_path = "@DIR@/events.log"
                lock_type = "file"
                runtime = "@DEFAULT@"
                runtime_supports_json = ["crun", "runc", "kata", "runsc", "youki", "krun", "jrun"]
                tmp_dir = "@DIR@/tmp"
                static_dir = "@DIR@/root/libpod"
                volume_path = "@DIR@/root/volumes"

                [engine.runtimes]
                @RUNTIMES@
                [network]
                network_config_dir = "@DIR@/networks"
                """.replace("@DIR@", dir.toString()).replace("@DEFAULT@", defaultRuntime)
                .replace("@RUNTIMES@", table.toString())
                .replace("@NOFILE@", String.valueOf(hardLimit("Max open files", 1048576)))
                .replace("@NPROC@", String.valueOf(Math.min(hardLimit("Max processes", 1048576), pidMax())));
        Files.writeString(dir.resolve("containers.conf"), conf);
        Files.writeString(dir.resolve("storage.conf"), """
                [storage]
                driver = "vfs"
                graphroot = "@DIR@/root"
                runroot = "@DIR@/run"
                """.replace("@DIR@", dir.toString()));
        Files.writeString(dir.resolve("registries.conf"), "unqualified-search-registries = []\n");
        Map<String, String> env = Map.of(
                "CONTAINERS_CONF", dir.resolve("containers.conf").toString(),
                "CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString(),
                "CONTAINERS_REGISTRIES_CONF", dir.resolve("registries.conf").toString());
        return new Podman(dir, env, cgroupParent);
    }

    /** This process's hard limit from /proc/self/limits ({@code unlimited} → {@code cap}). */
    static long hardLimit(String name, long cap) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"), StandardCharsets.UTF_8)) {
            if (line.startsWith(name)) {
                String[] f = line.substring(name.length()).trim().split("\\s+");
                return f[1].equals("unlimited") ? cap : Math.min(cap, Long.parseLong(f[1]));
            }
        }
        return cap;
    }

    static long pidMax() throws IOException {
        return Long.parseLong(Files.readString(Path.of("/proc/sys/kernel/pid_max")).strip());
    }

    List<String> cmd(String... args) {
        List<String> cmd = new ArrayList<>(List.of(PODMAN));
        cmd.addAll(List.of(args));
        return cmd;
    }

    Cmd.Result run(String... args) throws IOException, InterruptedException {
        return Cmd.run(env, 60, cmd(args));
    }

    /** {@code podman run|create} flags every test container gets: its cgroup under ours. */
    List<String> containerFlags() {
        return List.of("--cgroup-parent", "/" + cgroupParent);
    }

    /** Removes every container (now, no stop timeout); returns their names. */
    List<String> removeAll() throws IOException, InterruptedException {
        List<String> names = run("ps", "-a", "--format", "{{.Names}}").out().lines().filter(s -> !s.isBlank()).toList();
        if (!names.isEmpty()) {
            run("rm", "-f", "-a", "-t", "0");
        }
        return names;
    }
}
