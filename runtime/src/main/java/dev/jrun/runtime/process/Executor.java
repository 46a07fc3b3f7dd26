package dev.jrun.runtime.process;

import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts jrun-init from a sealed memfd copy (so a container can never overwrite the binary the
 * host runs: CVE-2019-5736) with posix_spawn and an explicit fd layout:
 * <pre>
 *   0-2                 the caller's stdio
 *   3 .. 3+P-1          --preserve-fds, passed through untouched
 *   3+P                 the sync socket (jrun-init's end)
 *   3+P+1 ..            extra fds the plan names (exec fifo, console socket, ...)
 *   last                the memfd itself, needed to exec it; jrun-init closes it first
 * </pre>
 */
public final class Executor {
    /** The name of the sealed memfd jrun-init runs from: /proc/PID/exe shows "/memfd:NAME (deleted)". */
    public static final String MEMFD_NAME = "jrun-init";

    private static byte[] binary;

    private final int preserveFds;
    /** The parent fds that become 3.. in the final process, or null for --preserve-fds's 3.. as they are. */
    private final int[] inherited;
    private final List<Integer> extras = new ArrayList<>();

    public Executor(int preserveFds) {
        this.preserveFds = preserveFds;
        this.inherited = null;
    }

    private Executor(int[] inherited) {
        this.preserveFds = inherited.length;
        this.inherited = inherited.clone();
    }

    /**
     * An executor whose final program (not a container: CRIU, for restore) gets these parent
     * fds as its fds 3, 4, ... in order, the way --preserve-fds passes the caller's own.
     */
    public static Executor inheriting(int... parentFds) {
        return new Executor(parentFds);
    }

    /** Reserves a slot for a parent fd; returns the fd number it will have in jrun-init. */
    public int pass(int parentFd) {
        extras.add(parentFd);
        return 3 + preserveFds + extras.size();
    }

    /** A started executor: its pid and our end of the sync socket. */
    public record Started(int pid, SyncSocket socket) {
    }

    /**
     * Starts a process with a given fd layout: childFds[k] becomes fd k.  The first
     * callersFds entries are fds the caller of jrun has as its own 0, 1, 2, 3, ...: someone
     * spawning on the caller's behalf (the jrun front end) gives its own fds there.
     */
    public interface Spawner {
        int spawn(String path, List<String> argv, int[] childFds, int callersFds) throws NativeException;
    }

    public Started start(Syscalls sys) throws NativeException, IOException {
        return start(sys, new Spawner() {
            @Override
            public int spawn(String path, List<String> argv, int[] childFds, int callersFds) throws NativeException {
                return sys.spawn(path, argv, List.of(), childFds);
            }
        });
    }

    public Started start(Syscalls sys, Spawner spawner) throws NativeException, IOException {
        int memfd = sys.sealedMemfd(MEMFD_NAME, binary());
        int[] pair = null;
        try {
            pair = sys.socketPair();
            int syncFd = 3 + preserveFds;
            int total = syncFd + 1 + extras.size() + 1;
            int[] childFds = new int[total];
            for (int k = 0; k < syncFd; k++) {
                childFds[k] = inherited != null && k >= 3 ? inherited[k - 3] : k;
            }
            childFds[syncFd] = pair[1];
            for (int i = 0; i < extras.size(); i++) {
                childFds[syncFd + 1 + i] = extras.get(i);
            }
            int memfdSlot = total - 1;
            childFds[memfdSlot] = memfd;
            int pid = spawner.spawn("/proc/self/fd/" + memfdSlot,
                    List.of("jrun-init", String.valueOf(syncFd), String.valueOf(syncFd),
                            String.valueOf(total - syncFd - 1), String.valueOf(memfdSlot)),
                    childFds, inherited != null ? 3 : syncFd);
            sys.close(pair[1]);
            return new Started(pid, new SyncSocket(sys, pair[0]));
        } catch (NativeException | RuntimeException e) {
            if (pair != null) {
                sys.close(pair[0]);
                sys.close(pair[1]);
            }
            throw e;
        } finally {
            sys.close(memfd);
        }
    }

    /** The executor binary: installed next to the jars, else the copy inside the runtime jar. */
    static synchronized byte[] binary() throws IOException {
        if (binary == null) {
            String libdir = System.getProperty("jrun.libdir");
            Path installed = libdir == null ? null : Path.of(libdir, "jrun-init");
            if (installed != null && Files.isRegularFile(installed)) {
                binary = Files.readAllBytes(installed);
            } else {
                try (InputStream in = Executor.class.getResourceAsStream("/dev/jrun/runtime/jrun-init")) {
                    if (in == null) {
                        throw new IOException("jrun-init is missing: neither " + installed
                                + " nor the copy inside the runtime jar exists (was `make` run?)");
                    }
                    binary = in.readAllBytes();
                }
            }
        }
        return binary;
    }
}
