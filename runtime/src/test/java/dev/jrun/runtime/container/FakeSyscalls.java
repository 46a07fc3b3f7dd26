package dev.jrun.runtime.container;

import dev.jrun.runtime.linux.Errno;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel, as far as the container operations use it, in memory: fds are numbers that must
 * all be closed again, the executor's socket plays back a script of jrun-init's messages, and
 * every signal, spawn and wait is recorded.
 */
public final class FakeSyscalls implements Syscalls {
    private int nextFd = 100;
    private int nextPid = 5000;
    public final Set<Integer> open = new LinkedHashSet<>();
    public final List<String> calls = new ArrayList<>();
    final Map<Integer, Integer> exitStatus = new HashMap<>();
    /** Exit statuses of hooks by path; a hook not listed exits 0. */
    final Map<String, Integer> hookStatus = new HashMap<>();
    final Map<Integer, String> spawned = new HashMap<>();
    /** The living processes (pid to start time) that kill(pid, 9) ends; the host's own map. */
    Map<Integer, Long> processes = new HashMap<>();

    /** jrun-init's end of the sync socket: what it says, and what it was told. */
    public int executorFd = -1;
    final Deque<byte[]> script = new ArrayDeque<>();
    private byte[] current = new byte[0];
    private int currentOffset;
    public final List<Integer> sentTypes = new ArrayList<>();

    public int newFd() {
        int fd = nextFd++;
        open.add(fd);
        return fd;
    }

    // ------------------------------------------------------------------ the executor's script

    private static byte[] frame(int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putInt(type).putInt(payload.length).put(payload).array();
    }

    private static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    public FakeSyscalls sync(int tag) {
        script.add(frame(dev.jrun.runtime.process.Wire.MSG_SYNC, ints(tag)));
        return this;
    }

    public FakeSyscalls childPid(int pid) {
        script.add(frame(dev.jrun.runtime.process.Wire.MSG_CHILD_PID, ints(pid)));
        return this;
    }

    public FakeSyscalls created() {
        script.add(frame(dev.jrun.runtime.process.Wire.MSG_CREATED, new byte[0]));
        return this;
    }

    public FakeSyscalls error(int step, int errno, String detail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ints(step, errno));
        out.writeBytes(detail.getBytes(StandardCharsets.UTF_8));
        script.add(frame(dev.jrun.runtime.process.Wire.MSG_ERROR, out.toByteArray()));
        return this;
    }

    public FakeSyscalls hookFailed(int step, int how, long value, String stdout, String stderr) {
        byte[] out = stdout.getBytes(StandardCharsets.UTF_8);
        byte[] err = stderr.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(20 + out.length + err.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(step).putInt(how).putLong(value).putInt(out.length).put(out).put(err);
        script.add(frame(dev.jrun.runtime.process.Wire.MSG_HOOK_FAILED, b.array()));
        return this;
    }

    /** The ops of the plan jrun-init was sent, by their codes, in order. */
    public final List<Integer> planOps = new ArrayList<>();
    private final Map<byte[], dev.jrun.runtime.plan.Op> stepOfOp = new HashMap<>();

    /** An error reported at the step that performs op, found in the plan once it was sent. */
    public FakeSyscalls errorAt(dev.jrun.runtime.plan.Op op, int errno, String detail) {
        error(-1, errno, detail);
        stepOfOp.put(((ArrayDeque<byte[]>) script).peekLast(), op);
        return this;
    }

    private int readScript(byte[] buf, int off, int len) {
        if (currentOffset == current.length) {
            if (script.isEmpty()) {
                return 0;  // hung up: the executor died
            }
            current = script.poll();
            currentOffset = 0;
            dev.jrun.runtime.plan.Op op = stepOfOp.get(current);
            if (op != null) {
                ByteBuffer.wrap(current, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(planOps.indexOf(op.code()));
            }
        }
        int n = Math.min(len, current.length - currentOffset);
        System.arraycopy(current, currentOffset, buf, off, n);
        currentOffset += n;
        return n;
    }

    // ------------------------------------------------------------------ Syscalls

    /** The fd layout of the last spawn: child fd k is a copy of parent fd lastChildFds[k]. */
    public int[] lastChildFds;
    public List<String> lastArgv;

    @Override
    public int spawn(String path, List<String> argv, List<String> env, int[] childFds) throws NativeException {
        lastChildFds = childFds.clone();
        lastArgv = List.copyOf(argv);
        if (path.startsWith("/nonexistent")) {
            throw new NativeException("posix_spawn " + path, Errno.ENOENT);
        }
        int pid = nextPid++;
        spawned.put(pid, path);
        exitStatus.put(pid, hookStatus.getOrDefault(path, 0) << 8);
        calls.add("spawn " + path);
        return pid;
    }

    @Override
    public int sealedMemfd(String name, byte[] content) {
        return newFd();
    }

    @Override
    public int[] socketPair() {
        return new int[] {newFd(), newFd()};
    }

    @Override
    public int[] pipe() {
        return new int[] {newFd(), newFd()};
    }

    @Override
    public int[] seqpacketPair() {
        return new int[] {newFd(), newFd()};
    }

    @Override
    public int openReadOnly(String path) throws NativeException {
        if (!Files.exists(Path.of(path))) {
            throw new NativeException("open " + path, Errno.ENOENT);
        }
        calls.add("open " + path);
        return newFd();
    }

    @Override
    public int fdFlags(int fd) throws NativeException {
        if (!open.contains(fd)) {
            throw new NativeException("fcntl " + fd, Errno.EBADF);
        }
        return 1; // O_WRONLY
    }

    @Override
    public int connectUnix(String path) throws NativeException {
        if (!Files.exists(Path.of(path))) {
            throw new NativeException("connect " + path, Errno.ENOENT);
        }
        calls.add("connect " + path);
        return newFd();
    }

    @Override
    public int openFifo(String path) {
        return newFd();
    }

    /** A plain file stands in for the FIFO: start writes a byte to it, status looks for it. */
    @Override
    public void mkfifo(String path, int mode) throws NativeException {
        try {
            Files.createFile(Path.of(path));
        } catch (IOException e) {
            throw new NativeException("mkfifo " + path, Errno.EEXIST);
        }
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        return fd == executorFd ? readScript(buf, off, len) : 0;
    }

    @Override
    public void writeAll(int fd, byte[] buf, int off, int len) {
        if (fd == executorFd && len >= 4) {
            ByteBuffer b = ByteBuffer.wrap(buf, off, len).order(ByteOrder.LITTLE_ENDIAN);
            int type = b.getInt();
            sentTypes.add(type);
            if (type == dev.jrun.runtime.process.Wire.MSG_PLAN) {
                planOps.clear();
                readPlan(b.position(b.position() + 4 + 4));
            }
        }
    }

    private static void skip(ByteBuffer b) {
        int length = b.getInt();
        b.position(b.position() + length);
    }

    /** Each step: u16 op, u16 argc, then 'i' i64 | 's' u32+bytes | 'v' u32 count x (u32+bytes). */
    private void readPlan(ByteBuffer b) {
        int count = b.getInt();
        for (int i = 0; i < count; i++) {
            planOps.add((int) b.getShort());
            int argc = b.getShort();
            for (int k = 0; k < argc; k++) {
                char kind = (char) b.get();
                if (kind == 'i') {
                    b.getLong();
                } else if (kind == 's') {
                    skip(b);
                } else {
                    int n = b.getInt();
                    for (int j = 0; j < n; j++) {
                        skip(b);
                    }
                }
            }
        }
    }

    @Override
    public Received receive(int fd, byte[] buf, int off, int len) {
        return new Received(read(fd, buf, off, len), -1);
    }

    @Override
    public void sendWithFd(int socket, byte[] data, int fd) {
        calls.add("sendWithFd " + socket);
    }

    @Override
    public boolean detachMount(String path, long mountId) {
        calls.add("detach " + path);
        return true;
    }

    @Override
    public void close(int fd) {
        open.remove(fd);
    }

    @Override
    public void kill(int pid, int signal) {
        calls.add("kill " + pid + " " + signal);
        if (signal == 9) {
            processes.remove(pid);
        }
    }

    @Override
    public int pidfdOpen(int pid) {
        return newFd();
    }

    @Override
    public int pidfdGetfd(int pidfd, int targetFd) {
        calls.add("pidfd_getfd " + targetFd);
        return newFd();
    }

    @Override
    public int waitpid(int pid, boolean noHang) {
        calls.add("waitpid " + pid);
        return exitStatus.getOrDefault(pid, 0);
    }

    @Override
    public boolean[] pollIn(int[] fds, int timeoutMillis) {
        boolean[] ready = new boolean[fds.length];
        java.util.Arrays.fill(ready, true);
        return ready;
    }

    @Override
    public int getuid() {
        return 0;
    }

    @Override
    public boolean isatty(int fd) {
        return false;
    }

    @Override
    public int[] windowSize(int fd) {
        return null;
    }

    @Override
    public void setWindowSize(int fd, int rows, int cols) {
    }

    @Override
    public void clearOnlcr(int fd) {
    }

    @Override
    public byte[] makeRaw(int fd) {
        return new byte[0];
    }

    @Override
    public void restoreTerminal(int fd, byte[] saved) {
    }
}
