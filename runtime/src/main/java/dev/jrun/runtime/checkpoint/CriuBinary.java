package dev.jrun.runtime.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The criu program: where it is, which version, and whether it works on this kernel.  A CRIU
 * that is installed but older than the kernel's layouts (Debian 12's 3.17 cannot read a 6.x
 * vDSO) fails in the middle of a dump with a message about memory maps; `criu check` says so
 * plainly, so jrun runs it to explain a failure rather than before every call.
 */
public final class CriuBinary {
    /** Where root's PATH may not look (sudo, a service's environment) but packages install criu. */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private CriuBinary() {
    }

    /**
     * @param override the global --criu value (a path, or a name looked up in PATH), or null
     * @return the program, or null when there is none
     */
    public static Path find(String override) {
        String name = override == null || override.isEmpty() ? "criu" : override;
        if (name.contains("/")) {
            Path p = Path.of(name).toAbsolutePath();
            return Files.isExecutable(p) ? p : null;
        }
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }

    /** The sentence for a missing criu. */
    public static String missing(String override) {
        String name = override == null || override.isEmpty() ? "criu" : override;
        return "checkpoint/restore needs CRIU: " + (name.contains("/") ? name + " does not exist or is not executable"
                : "\"" + name + "\" was not found in $PATH");
    }

    /** "4.2" from `criu --version`, or "unknown". */
    public static String version(Path criu) {
        Run r = run(criu, "--version");
        for (String line : r.output().split("\n")) {
            if (line.startsWith("Version:")) {
                return line.substring("Version:".length()).strip();
            }
        }
        return "unknown";
    }

    /**
     * Runs `criu check`.
     *
     * @return null when it passes, else its first error line (or its exit status)
     */
    public static String checkProblem(Path criu) {
        Run r = run(criu, "check");
        if (r.status() == 0) {
            return null;
        }
        for (String line : r.output().split("\n")) {
            int at = line.indexOf("Error (");
            int close = line.indexOf("): ", Math.max(at, 0));
            if (at >= 0 && close > at) {
                return line.substring(close + 3).strip(); // without CRIU's source position
            }
            if (line.contains("Error") || line.contains("error")) {
                return line.strip();
            }
        }
        return r.status() < 0 ? r.output() : "exit status " + r.status();
    }

    /**
     * Why checkpoint/restore cannot work here, or null if CRIU passes its check: names the
     * version found and what `criu check` says.
     */
    public static String unusable(Path criu) {
        String problem = checkProblem(criu);
        if (problem == null) {
            return null;
        }
        return "criu " + version(criu) + " (" + criu + ") does not work with this kernel, or is too old for it: "
                + "`criu check` fails: " + problem;
    }

    /** runc's features annotation saying checkpoint/restore is available. */
    public static final String ENABLED_ANNOTATION = "org.opencontainers.runc.checkpoint.enabled";
    public static final String VERSION_ANNOTATION = "dev.jrun.criu.version";
    public static final String PROBLEM_ANNOTATION = "dev.jrun.criu.problem";

    /**
     * For `features`, where runc reports checkpoint support: whether it works here (CRIU
     * present and passing `criu check`), the version found, and if it does not work, why.
     */
    public static java.util.Map<String, String> featureAnnotations(String override) {
        java.util.Map<String, String> a = new java.util.LinkedHashMap<>();
        Path criu = find(override);
        if (criu == null) {
            a.put(ENABLED_ANNOTATION, "false");
            a.put(PROBLEM_ANNOTATION, missing(override));
            return a;
        }
        String problem = unusable(criu);
        a.put(ENABLED_ANNOTATION, problem == null ? "true" : "false");
        a.put(VERSION_ANNOTATION, version(criu));
        if (problem != null) {
            a.put(PROBLEM_ANNOTATION, problem);
        }
        return a;
    }

    private record Run(int status, String output) {
    }

    private static Run run(Path criu, String arg) {
        try {
            Process p = new ProcessBuilder(criu.toString(), arg).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "criu " + arg + " did not finish in 30 seconds");
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Run(-1, "cannot run " + criu + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "interrupted");
        }
    }
}
