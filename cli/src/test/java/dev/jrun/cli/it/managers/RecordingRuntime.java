package dev.jrun.cli.it.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jrun.testbundles.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * jrun as a manager sees it, with a recorder in front: a small shell script, installed as the
 * manager's runtime binary, that runs the built jrun with the manager's exact arguments, then
 * appends one record per call (exit status, argv, what the pid file holds) and keeps a copy of
 * the {@code --log} file and of the bundle's config.json. The tests assert on the real calls.
 */
final class RecordingRuntime {
    /** The global flags of DESIGN.md §3 (and runc) that take a value. */
    static final Set<String> VALUE_FLAGS = Set.of("--root", "--log", "--log-format");
    static final Set<String> BOOLEAN_FLAGS = Set.of("--debug", "--systemd-cgroup");
    static final Set<String> SUBCOMMANDS = Set.of("create", "start", "state", "kill", "delete", "exec", "pause",
            "resume", "ps", "update", "events", "features", "list", "run", "spec", "checkpoint", "restore", "--version");
    private static final char SEP = '\037';

    final Path binary;
    final Path calls;
    final Path stash;

    private RecordingRuntime(Path binary, Path calls, Path stash) {
        this.binary = binary;
        this.calls = calls;
        this.stash = stash;
    }

    /** Writes the recorder to {@code dir/jrun} (records under {@code dir/records}), running {@code jrun}. */
    static RecordingRuntime install(Path dir, Path jrun) throws IOException {
        Path records = dir.resolve("records");
        Files.createDirectories(records);
        Path binary = dir.resolve("jrun");
        Path calls = records.resolve("calls");
        String script = """
                #!/bin/sh
                # jrun, with each call recorded for the manager tests (RecordingRuntime.java)
                '@JRUN@' "$@"
                rc=$?
                n=$(date +%s%N)-$$
                log= pidfile= bundle= prev=
                for a in "$@"; do
                    case "$prev" in
                    --log) log=$a ;;
                    --pid-file) pidfile=$a ;;
                    --bundle|-b) bundle=$a ;;
                    esac
                    case "$a" in
                    --log=*) log=${a#--log=} ;;
                    --pid-file=*) pidfile=${a#--pid-file=} ;;
                    --bundle=*) bundle=${a#--bundle=} ;;
                    esac
                    prev=$a
                done
                pid=
                if [ -n "$pidfile" ] && [ -f "$pidfile" ]; then pid=$(cat "$pidfile"); fi
                if [ -n "$log" ] && [ -f "$log" ]; then cp "$log" '@STASH@'/"log-$n"; fi
                if [ -n "$bundle" ] && [ -f "$bundle/config.json" ]; then cp "$bundle/config.json" '@STASH@'/"config-$n.json"; fi
                line=$(printf '%s\\037' "$rc" "$n" "$pid" "$@")
                printf '%s\\n' "$line" >> '@CALLS@'
                exit $rc
                """.replace("@JRUN@", jrun.toString()).replace("@STASH@", records.toString())
                .replace("@CALLS@", calls.toString());
        Files.writeString(binary, script);
        Files.setAttribute(binary, "unix:mode", 0755);
        return new RecordingRuntime(binary, calls, records);
    }

    /** One recorded call. */
    record Call(int status, String key, String pid, List<String> argv) {
        /** The global flags (before the subcommand), each as {@code --flag} or {@code --flag=value} / value pairs. */
        List<String> globals() {
            return argv.subList(0, commandIndex());
        }

        String command() {
            int i = commandIndex();
            return i < argv.size() ? argv.get(i) : "";
        }

        /** The arguments after the subcommand. */
        List<String> args() {
            int i = commandIndex();
            return i < argv.size() ? argv.subList(i + 1, argv.size()) : List.of();
        }

        /** The value of a global flag, or null. */
        String global(String flag) {
            return valueOf(globals(), flag);
        }

        /** The value of a subcommand flag, or null. */
        String option(String flag) {
            return valueOf(args(), flag);
        }

        boolean has(String flag) {
            return args().contains(flag);
        }

        /** The container id: the last argument of the subcommands the managers use (kill: before the signal). */
        String id() {
            List<String> a = args();
            if (a.isEmpty()) {
                return "";
            }
            if (command().equals("kill") && a.size() >= 2 && !a.get(a.size() - 2).startsWith("-")) {
                return a.get(a.size() - 2);
            }
            return a.get(a.size() - 1);
        }

        private int commandIndex() {
            int i = 0;
            while (i < argv.size() && argv.get(i).startsWith("-") && !argv.get(i).equals("--version")) {
                i += VALUE_FLAGS.contains(argv.get(i)) ? 2 : 1;
            }
            return Math.min(i, argv.size());
        }

        private static String valueOf(List<String> args, String flag) {
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).equals(flag) && i + 1 < args.size()) {
                    return args.get(i + 1);
                }
                if (args.get(i).startsWith(flag + "=")) {
                    return args.get(i).substring(flag.length() + 1);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return "[exit " + status + "] jrun " + String.join(" ", argv);
        }
    }

    /** Every call so far, in order. */
    List<Call> calls() throws IOException {
        List<Call> result = new ArrayList<>();
        if (!Files.exists(calls)) {
            return result;
        }
        for (String line : Files.readAllLines(calls, StandardCharsets.UTF_8)) {
            List<String> f = new ArrayList<>(Arrays.asList(line.split(String.valueOf(SEP), -1)));
            if (!f.isEmpty() && f.get(f.size() - 1).isEmpty()) {
                f.remove(f.size() - 1);
            }
            if (f.size() < 3) {
                continue;
            }
            result.add(new Call(Integer.parseInt(f.get(0)), f.get(1), f.get(2).strip(), List.copyOf(f.subList(3, f.size()))));
        }
        return result;
    }

    /** The calls about container {@code id}. */
    List<Call> calls(String id) throws IOException {
        return calls().stream().filter(c -> c.id().equals(id)).toList();
    }

    /** The calls about container {@code id} with this subcommand. */
    List<Call> calls(String id, String command) throws IOException {
        return calls(id).stream().filter(c -> c.command().equals(command)).toList();
    }

    /** The one successful create of {@code id}. */
    Call create(String id) throws IOException {
        List<Call> creates = calls(id, "create");
        assertEquals(1, creates.size(), "one create of " + id + ": " + creates);
        return creates.get(0);
    }

    /** The config.json the manager wrote for the create call {@code c}. */
    Map<String, Object> config(Call c) throws IOException {
        Path f = stash.resolve("config-" + c.key() + ".json");
        assertTrue(Files.exists(f), "no config.json recorded for " + c);
        return Json.parseObject(Files.readString(f));
    }

    /** The kept copies of every --log file, by name. */
    Map<String, String> logs() throws IOException {
        Map<String, String> logs = new TreeMap<>();
        try (Stream<Path> files = Files.list(stash)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("log-")).toList()) {
                logs.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return logs;
    }

    /** How the manager passes the global flags. */
    enum Caller {
        /** containerd's runc shim: {@code --root R --log B/log.json --log-format json} on every call. */
        SHIM,
        /**
         * podman: no {@code --root}; conmon's calls (create, exec) carry {@code --log-format=json --log F}
         * when the runtime is in {@code runtime_supports_json}; podman's own (start, kill, pause,
         * delete…) carry no log flags.
         */
        PODMAN
    }

    /**
     * Checks every call so far against DESIGN.md §3: global flags only from the contract and
     * before the subcommand, a known subcommand, the pid file written by a successful create or
     * detached exec, a {@code delete --force} that always exits 0, and JSON lines only in the log.
     */
    void assertContract(Caller caller) throws IOException {
        List<Call> all = calls();
        assertFalse(all.isEmpty(), "the manager never called jrun");
        List<String> problems = new ArrayList<>();
        for (Call c : all) {
            for (int i = 0; i < c.globals().size(); i++) {
                String g = c.globals().get(i);
                String name = g.contains("=") ? g.substring(0, g.indexOf('=')) : g;
                if (VALUE_FLAGS.contains(name)) {
                    if (!g.contains("=")) {
                        i++;
                    }
                } else if (!BOOLEAN_FLAGS.contains(name)) {
                    problems.add("unknown global flag " + g + ": " + c);
                }
            }
            if (!SUBCOMMANDS.contains(c.command())) {
                problems.add("unknown subcommand: " + c);
            }
            String log = c.global("--log");
            String format = c.global("--log-format");
            switch (caller) {
                case SHIM -> {
                    if (c.global("--root") == null || log == null || !"json".equals(format)) {
                        problems.add("the shim passes --root, --log and --log-format json: " + c);
                    }
                }
                case PODMAN -> {
                    if (c.global("--root") != null) {
                        problems.add("podman passes no --root: " + c);
                    }
                    boolean viaConmon = c.command().equals("create") || c.command().equals("exec");
                    if (viaConmon && (log == null || !"json".equals(format))) {
                        problems.add("jrun is in runtime_supports_json, so conmon passes --log and --log-format=json: " + c);
                    }
                }
                default -> throw new IllegalArgumentException(caller.toString());
            }
            if (c.command().equals("delete") && c.has("--force") && c.status() != 0) {
                problems.add("delete --force must exit 0 (the shim repeats it on a deleted id): " + c);
            }
            boolean makesProcess = c.command().equals("create") || (c.command().equals("exec") && c.has("--detach"));
            if (makesProcess && c.status() == 0 && !c.pid().matches("[1-9][0-9]*")) {
                problems.add("the pid file holds '" + c.pid() + "', not a decimal pid: " + c);
            }
        }
        for (Map.Entry<String, String> log : logs().entrySet()) {
            for (String line : log.getValue().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Map<String, Object> entry = Json.parseObject(line);
                    for (String k : List.of("level", "msg", "time")) {
                        if (!(entry.get(k) instanceof String)) {
                            problems.add(log.getKey() + ": no string '" + k + "': " + line);
                        }
                    }
                } catch (RuntimeException e) {
                    problems.add(log.getKey() + ": not a JSON line: " + line);
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " contract problem(s):\n  " + String.join("\n  ", problems));
        }
    }

    /** All recorded log lines whose message contains {@code text}. */
    List<String> logLines(String text) throws IOException {
        List<String> found = new ArrayList<>();
        for (String content : logs().values()) {
            for (String line : content.split("\n")) {
                if (line.contains(text) && !found.contains(line)) {
                    found.add(line);
                }
            }
        }
        return found;
    }
}
