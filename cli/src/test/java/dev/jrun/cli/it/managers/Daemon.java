package dev.jrun.cli.it.managers;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A manager daemon (containerd, dockerd) started by a test, in its own session, logging to a
 * file. It is stopped by its pid: SIGTERM, then SIGKILL if it has not exited within the grace
 * time. A JVM shutdown hook kills it too, should the test run be cut short.
 */
final class Daemon implements AutoCloseable {
    final String name;
    final Path log;
    private final Process process;
    private final Thread reaper;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.reaper = new Thread(() -> {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }, "stop " + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts {@code cmd} under {@code setsid}, stdin /dev/null, stdout and stderr to {@code log}. */
    static Daemon start(String name, List<String> cmd, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return new Daemon(name, pb.start(), log);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until {@code ready} answers true; fails with the daemon's log if it dies or the time runs out. */
    void awaitReady(int timeoutSeconds, Callable<Boolean> ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail(name + " exited " + process.exitValue() + " while starting\n" + logTail(40));
            }
            if (ready.call()) {
                return;
            }
            Thread.sleep(100);
        }
        fail(name + " not ready after " + timeoutSeconds + " s\n" + logTail(40));
    }

    /** Stops the daemon by pid (SIGTERM, then SIGKILL); returns false when it had to be killed. */
    boolean stop(int graceSeconds) throws InterruptedException {
        boolean clean = true;
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                clean = false;
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run; nothing to undo
        }
        return clean;
    }

    @Override
    public void close() throws InterruptedException {
        stop(30);
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
