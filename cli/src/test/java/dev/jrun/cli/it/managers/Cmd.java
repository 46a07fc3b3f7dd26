package dev.jrun.cli.it.managers;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a manager's client program (ctr, podman, docker) and collects what it printed. */
final class Cmd {
    private Cmd() {}

    /** What one command did. */
    record Result(List<String> cmd, int status, String out, String err) {
        Result ok() {
            if (status != 0) {
                fail(this.toString());
            }
            return this;
        }

        Result status(int expected) {
            if (status != expected) {
                fail("expected exit status " + expected + ": " + this);
            }
            return this;
        }

        /** stdout without the trailing newline. */
        String line() {
            return out.strip();
        }

        @Override
        public String toString() {
            return String.join(" ", cmd) + "\n  exited " + status + "\n  stdout: " + out.strip()
                    + "\n  stderr: " + err.strip();
        }
    }

    static Result run(Map<String, String> env, int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        return run(env, timeoutSeconds, Arrays.asList(cmd));
    }

    /**
     * Runs {@code cmd} with stdin from /dev/null and {@code env} added to this JVM's environment;
     * on a timeout the command and everything it started are killed (by pid) and the test fails.
     */
    static Result run(Map<String, String> env, int timeoutSeconds, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        File out = File.createTempFile("jrun-mgr-out", ".txt");
        File err = File.createTempFile("jrun-mgr-err", ".txt");
        try {
            pb.redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
                p.destroyForcibly();
                tree.forEach(ProcessHandle::destroyForcibly);
                p.waitFor(10, TimeUnit.SECONDS);
                fail("timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd) + "\n  stdout: "
                        + Files.readString(out.toPath()) + "\n  stderr: " + Files.readString(err.toPath()));
            }
            return new Result(List.copyOf(cmd), p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            out.delete();
            err.delete();
        }
    }

    /**
     * Runs {@code cmd} with a terminal on its stdin/stdout, through util-linux {@code script}
     * (which exits with the command's status). The output has CRLF line ends.
     */
    static Result underPty(Map<String, String> env, int timeoutSeconds, List<String> cmd)
            throws IOException, InterruptedException {
        return run(env, timeoutSeconds, "script", "-qefc", shellQuote(cmd), "/dev/null");
    }

    /** {@code cmd} as one POSIX shell command line. */
    static String shellQuote(List<String> cmd) {
        StringBuilder b = new StringBuilder();
        for (String a : cmd) {
            if (b.length() > 0) {
                b.append(' ');
            }
            if (!a.isEmpty() && a.chars().allMatch(c -> Character.isLetterOrDigit(c) || "/._-=:,+@%".indexOf(c) >= 0)) {
                b.append(a);
            } else {
                b.append('\'').append(a.replace("'", "'\\''")).append('\'');
            }
        }
        return b.toString();
    }
}
