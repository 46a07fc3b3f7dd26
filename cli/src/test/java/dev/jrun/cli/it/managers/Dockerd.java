package dev.jrun.cli.it.managers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private dockerd (Debian's docker.io 20.10) on the test's containerd: its own data root,
 * exec root, pid file, socket and (empty) daemon.json, the cgroupfs driver, no iptables, no
 * bridge, the vfs storage driver, its own containerd namespaces, and jrun added as runtime
 * {@code jrun} (dockerd hands the runc shim its path as the runtime options' BinaryName).
 */
final class Dockerd implements AutoCloseable {
    /** Debian's client (another docker may come first in PATH). */
    static final String DOCKER = Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker";
    /** dockerd creates this whatever its configuration says. */
    static final Path RUN_DOCKER = Path.of("/run/docker");

    final Path dir;
    final Path socket;
    final String namespace;
    final String cgroupParent;
    final Daemon daemon;
    final Map<String, String> env;

    private Dockerd(Path dir, String namespace, String cgroupParent, Daemon daemon) {
        this.dir = dir;
        this.socket = dir.resolve("docker.sock");
        this.namespace = namespace;
        this.cgroupParent = cgroupParent;
        this.daemon = daemon;
        this.env = Map.of("DOCKER_CONFIG", dir.resolve("client").toString(), "DOCKER_HOST", "unix://" + socket);
    }

    /** Starts dockerd in {@code dir} on {@code containerd}, with {@code runtime} added as {@code jrun}. */
    static Dockerd start(Path dir, Containerd containerd, Path runtime, String namespace, String cgroupParent)
            throws Exception {
        Files.createDirectories(dir.resolve("client"));
        Files.writeString(dir.resolve("daemon.json"), "{}\n");
        List<String> cmd = List.of("setsid", "dockerd",
                "--config-file", dir.resolve("daemon.json").toString(),
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(),
                "--host", "unix://" + dir.resolve("docker.sock"),
                "--containerd", containerd.socket.toString(),
                "--containerd-namespace", namespace,
                "--containerd-plugins-namespace", namespace + "-plugins",
                "--add-runtime", "jrun=" + runtime,
                "--exec-opt", "native.cgroupdriver=cgroupfs",
                "--cgroup-parent", "/" + cgroupParent,
                "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--bridge=none",
                "--userland-proxy=false", "--storage-driver", "vfs");
        Daemon d = Daemon.start("dockerd", cmd, Map.of(), dir.resolve("dockerd.log"));
        Dockerd docker = new Dockerd(dir, namespace, cgroupParent, d);
        try {
            d.awaitReady(60, () -> Files.exists(docker.socket) && docker.run("version").status() == 0);
        } catch (Throwable t) {
            docker.stop();
            throw t;
        }
        return docker;
    }

    List<String> cmd(String... args) {
        List<String> cmd = new ArrayList<>(List.of(DOCKER));
        cmd.addAll(List.of(args));
        return cmd;
    }

    Cmd.Result run(String... args) throws IOException, InterruptedException {
        return Cmd.run(env, 60, cmd(args));
    }

    /** Removes every container; returns their names. */
    List<String> removeAll() throws IOException, InterruptedException {
        List<String> ids = run("ps", "-a", "-q").out().lines().filter(s -> !s.isBlank()).toList();
        for (String id : ids) {
            run("rm", "-f", id);
        }
        return ids;
    }

    /** Stops dockerd by pid; returns the problems found. */
    List<String> stop() throws InterruptedException {
        List<String> problems = new ArrayList<>();
        if (!daemon.stop(30)) {
            problems.add("dockerd ignored SIGTERM for 30 s and was killed");
        }
        return problems;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
