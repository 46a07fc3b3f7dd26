package dev.jrun.cli.it.managers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A private containerd 1.6 for one test class: its own config, root, state, sockets and FIFO
 * directory under the test's directory, the CRI plugin (and the snapshotters that cannot work
 * here) disabled, running in a cgroup that is a child of the test's own.
 *
 * <p>The runc shim ({@code io.containerd.runc.v2}) is pointed at jrun by the runtime options'
 * {@code BinaryName}: containerd 1.6 has no daemon-wide runtime options without CRI, so the
 * client sets them on each container ({@code ctr run --runc-binary}, which ctr stores as the
 * container's runtime options; a dockerd sets them from {@code --add-runtime}). The shim falls
 * back to {@code runc} from its PATH when the options are missing (ctr drops them when it also
 * sends task options, e.g. with {@code --no-pivot}): the daemon's PATH therefore starts with a
 * {@code runc} that only records that it was called and fails, so such a fall-back can never
 * pass for jrun.
 */
final class Containerd implements AutoCloseable {
    static final String CTR = "ctr";
    static final String SHIM_RUNTIME = "io.containerd.runc.v2";
    /** Where every containerd 1.6 puts its shims' sockets, whatever its config says. */
    static final Path SHIM_SOCKETS = Path.of("/run/containerd/s");

    final Path dir;
    final Path socket;
    final Path runcRoot;
    final Path fifoDir;
    final Path trapLog;
    final String cgroupName;
    final Daemon daemon;

    private Containerd(Path dir, String cgroupName, Daemon daemon) {
        this.dir = dir;
        this.socket = dir.resolve("containerd.sock");
        this.runcRoot = dir.resolve("runc-root");
        this.fifoDir = dir.resolve("fifo");
        this.trapLog = dir.resolve("runc-trap.log");
        this.cgroupName = cgroupName;
        this.daemon = daemon;
    }

    /** Starts containerd in {@code dir}, in cgroup {@code cgroupName} (a child of ours), and waits until it answers. */
    static Containerd start(Path dir, String cgroupName) throws Exception {
        Files.createDirectories(dir.resolve("fifo"));
        Path trapDir = Files.createDirectories(dir.resolve("trap-bin"));
        Path trapLog = dir.resolve("runc-trap.log");
        Path trap = trapDir.resolve("runc");
        Files.writeString(trap, "#!/bin/sh\n# not jrun: the shim lost its BinaryName option\necho \"runc $*\" >> '"
                + trapLog + "'\necho 'runc called instead of jrun' >&2\nexit 1\n");
        Files.setAttribute(trap, "unix:mode", 0755);
        Path config = dir.resolve("config.toml");
        Files.writeString(config, """
                version = 2
                root = "@DIR@/root"
                state = "@DIR@/state"
                disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
                  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
                  "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.tracing",
                  "io.containerd.tracing.processor.v1.otlp"]
                [grpc]
                  address = "@DIR@/containerd.sock"
                [ttrpc]
                  address = "@DIR@/containerd.sock.ttrpc"
                [debug]
                  level = "info"
                """.replace("@DIR@", dir.toString()));
        List<Path> procs = Cgroups.createChildOfOwn(cgroupName);
        List<String> cmd = new ArrayList<>(List.of("setsid", "sh", "-c",
                "for f in \"$@\"; do echo $$ > \"$f\" || exit 1; done; exec containerd --config '" + config + "'", "sh"));
        procs.forEach(p -> cmd.add(p.toString()));
        Daemon d = Daemon.start("containerd", cmd,
                Map.of("PATH", trapDir + ":" + System.getenv("PATH")), dir.resolve("containerd.log"));
        Containerd c = new Containerd(dir, cgroupName, d);
        try {
            d.awaitReady(30, () -> Files.exists(c.socket)
                    && Cmd.run(Map.of(), 10, CTR, "--address", c.socket.toString(), "version").status() == 0);
        } catch (Throwable t) {
            c.stop(Map.of());
            throw t;
        }
        return c;
    }

    /** {@code ctr --address SOCKET -n NAMESPACE args…} */
    List<String> ctr(String namespace, String... args) {
        List<String> cmd = new ArrayList<>(List.of(CTR, "--address", socket.toString(), "-n", namespace));
        cmd.addAll(List.of(args));
        return cmd;
    }

    Cmd.Result run(String namespace, String... args) throws IOException, InterruptedException {
        return Cmd.run(Map.of(), 60, ctr(namespace, args));
    }

    /** The flags of {@code ctr run} that make the runc shim run {@code runtime} with its state under {@link #runcRoot}. */
    List<String> runtimeFlags(Path runtime) {
        return List.of("--runtime", SHIM_RUNTIME, "--runc-binary", runtime.toString(), "--runc-root", runcRoot.toString(),
                "--fifo-dir", fifoDir.toString());
    }

    /** The shim's runtime state directory for a namespace (what it passes as {@code --root}). */
    Path runtimeRoot(String namespace) {
        return runcRoot.resolve(namespace);
    }

    /** Kills and removes every task and container of {@code namespace}; returns what was still there. */
    List<String> removeAll(String namespace) throws IOException, InterruptedException {
        List<String> found = new ArrayList<>();
        for (String line : run(namespace, "task", "ls", "-q").out().split("\n")) {
            String id = line.strip();
            if (!id.isEmpty()) {
                found.add("task " + id);
                run(namespace, "task", "kill", "-a", "-s", "SIGKILL", id);
                run(namespace, "task", "rm", "-f", id);
            }
        }
        for (String line : run(namespace, "container", "ls", "-q").out().split("\n")) {
            String id = line.strip();
            if (!id.isEmpty()) {
                found.add("container " + id);
                run(namespace, "container", "rm", id);
            }
        }
        return found;
    }

    /** The socket file containerd 1.6 gives the shim of container {@code id} (sha256 of address/namespace/id). */
    Path shimSocket(String namespace, String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(
                    (socket + "/" + namespace + "/" + id).getBytes(StandardCharsets.UTF_8));
            return SHIM_SOCKETS.resolve(HexFormat.of().formatHex(d));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops the daemon by pid, kills any shim of it still running (and reports it), removes its
     * cgroup; returns the problems found, including a shim socket left for one of {@code ids}
     * (namespace → container ids).
     */
    List<String> stop(Map<String, ? extends Collection<String>> ids) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        if (!daemon.stop(30)) {
            problems.add("containerd ignored SIGTERM for 30 s and was killed");
        }
        Map<Long, String> shims = Leftovers.awaitNoProcesses(socket.toString(), 5);
        if (!shims.isEmpty()) {
            problems.add("processes of containerd left running (killed): " + shims.values());
            Leftovers.kill(shims);
            Leftovers.awaitNoProcesses(socket.toString(), 5);
        }
        for (Map.Entry<String, ? extends Collection<String>> ns : ids.entrySet()) {
            for (String id : ns.getValue()) {
                Path s = shimSocket(ns.getKey(), id);
                if (Files.exists(s)) {
                    problems.add("shim socket of " + ns.getKey() + "/" + id + " left: " + s);
                    Files.delete(s);
                }
            }
        }
        problems.addAll(Cgroups.removeChildOfOwn(cgroupName));
        return problems;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop(Map.of());
    }
}
