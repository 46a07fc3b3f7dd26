package dev.jrun.cli.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Moves the server out of the cgroup of whoever started it (a pod's, a shim's) into
 * "jrun-server" at the top of every hierarchy, so that cgroup is never charged for the server
 * and killing it never kills the server.
 */
final class ServerCgroup {
    private static final Path MOUNTS = Path.of("/sys/fs/cgroup");

    private ServerCgroup() {
    }

    static void leaveCallerCgroup(PrintStream log) {
        String pid = String.valueOf(ProcessHandle.current().pid());
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] f = line.split(":", 3);
                if (f.length != 3) {
                    continue;
                }
                Path mount;
                if (f[0].equals("0") && f[1].isEmpty()) {
                    mount = Files.exists(MOUNTS.resolve("cgroup.controllers")) ? MOUNTS : MOUNTS.resolve("unified");
                } else {
                    String name = f[1].startsWith("name=") ? f[1].substring(5) : f[1];
                    mount = MOUNTS.resolve(name);
                }
                if (!Files.isRegularFile(mount.resolve("cgroup.procs"))) {
                    continue;
                }
                Path own = mount.resolve("jrun-server");
                try {
                    Files.createDirectories(own);
                    // a v1 cpuset cgroup takes no process until it has cpus and memory nodes
                    for (String file : new String[] {"cpuset.cpus", "cpuset.mems"}) {
                        Path mine = own.resolve(file);
                        if (Files.exists(mine) && Files.readString(mine).isBlank()) {
                            Files.writeString(mine, Files.readString(mount.resolve(file)).trim());
                        }
                    }
                    Files.writeString(own.resolve("cgroup.procs"), pid);
                } catch (IOException e) {
                    Server.log(log, "could not move into " + own + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            Server.log(log, "could not read /proc/self/cgroup: " + e.getMessage());
        }
    }
}
