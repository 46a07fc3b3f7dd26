package dev.jrun.runtime.container;

import dev.jrun.runtime.checkpoint.CriuBinary;
import dev.jrun.runtime.checkpoint.CriuEvents;
import dev.jrun.runtime.checkpoint.CriuException;
import dev.jrun.runtime.checkpoint.CriuOptions;
import dev.jrun.runtime.checkpoint.CriuRequests;
import dev.jrun.runtime.checkpoint.CriuSession;
import dev.jrun.runtime.cgroups.CgroupException;
import dev.jrun.runtime.cgroups.CgroupManager;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.runtime.plan.CgroupView;
import dev.jrun.runtime.plan.CriuMounts;
import dev.jrun.spec.linux.NamespaceType;
import dev.jrun.spec.model.LinuxNamespace;
import dev.jrun.spec.model.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * `checkpoint`: CRIU dumps the running container's process tree into the image directory,
 * with the container's external mounts and joined namespaces named so that restore can put
 * them back.  CRIU is started directly (`criu swrk`); it needs nothing prepared.
 */
final class Checkpointer {
    /** runc's name for the stdio record restore uses to reconnect pipes. */
    static final String DESCRIPTORS = "descriptors.json";

    private final Host host;
    private final Syscalls sys;
    private final Consumer<String> warn;
    private final List<Integer> fds = new ArrayList<>();

    Checkpointer(Host host, Consumer<String> warn) {
        this.host = host;
        this.sys = host.sys();
        this.warn = warn;
    }

    void checkpoint(ContainerState s, Spec spec, CriuOptions o, String criuOverride) throws JrunException, IOException {
        if (CriuMounts.idMappedRefusal(spec) != null) {
            throw new JrunException(CriuMounts.idMappedRefusal(spec));
        }
        Path criu = CriuBinary.find(criuOverride);
        if (criu == null) {
            throw new JrunException(CriuBinary.missing(criuOverride));
        }
        prepareDirectories(o);
        try {
            if (o.preDump() || o.lazyPages()) {
                requireFeatures(criu, o);
            }
            if (o.lazyPages() && o.statusFd() >= 0) {
                checkStatusFd(o.statusFd());
            }
            int imagesFd = keep(sys.openReadOnly(o.imagePath().toString()));
            int workFd = o.workPath() == null ? -1 : keep(sys.openReadOnly(o.workPath().toString()));
            CriuRequests.Dump request = new CriuRequests.Dump(s.pid(), s.rootfs(), imagesFd, workFd,
                    freezer(s.cgroupPaths()), extMounts(s, spec), externalNamespaces(spec), configFile(spec), o);
            if (!o.preDump()) {
                writeDescriptors(s.pid(), o.imagePath());
            }
            try (CriuSession session = start(criu)) {
                session.dump(request, new CriuEvents() { });
            } catch (CriuException e) {
                throw failure(e, criu, o, CriuRequests.DUMP_LOG);
            }
        } catch (NativeException e) {
            throw new JrunException(e.getMessage(), e);
        } finally {
            for (int fd : fds) {
                sys.close(fd);
            }
        }
    }

    /** runc's rules: the image directory is made if missing; a parent is relative and exists. */
    static void prepareDirectories(CriuOptions o) throws JrunException, IOException {
        createDirectory(o.imagePath());
        if (o.parentPath() != null) {
            if (Path.of(o.parentPath()).isAbsolute()) {
                throw new JrunException("--parent-path must be relative");
            }
            Path parent = o.imagePath().resolve(o.parentPath());
            if (!Files.isDirectory(parent)) {
                throw new JrunException("invalid --parent-path: " + parent + ": "
                        + (Files.exists(parent) ? "not a directory" : "no such file or directory"));
            }
        }
        if (o.workPath() != null) {
            createDirectory(o.workPath());
        }
    }

    private static void createDirectory(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("create " + dir + ": " + StateStore.reason(e), e);
        }
    }

    private void requireFeatures(Path criu, CriuOptions o) throws JrunException, NativeException {
        List<String> missing;
        try (CriuSession session = start(criu)) {
            missing = session.missingFeatures(o.preDump(), o.lazyPages());
        } catch (CriuException e) {
            throw new JrunException("CRIU feature check failed: " + e.getMessage(), e);
        }
        if (!missing.isEmpty()) {
            throw new JrunException("criu is missing features: [" + String.join(" ", missing) + "]"
                    + (missing.contains("MemTrack") ? " (pre-dump needs the kernel's soft-dirty page tracking)" : ""));
        }
    }

    private void checkStatusFd(int fd) throws JrunException {
        try {
            if ((sys.fdFlags(fd) & 0x3) == 0) { // O_RDONLY: neither O_WRONLY nor O_RDWR
                throw new JrunException("invalid --status-fd argument " + fd + ": not writable");
            }
        } catch (NativeException e) {
            throw new JrunException("invalid --status-fd argument " + fd + ": " + e.getMessage(), e);
        }
    }

    private CriuSession start(Path criu) throws NativeException {
        int[] pair = sys.seqpacketPair();
        try {
            int pid = sys.spawn(criu.toString(), List.of("criu", "swrk", "3"), environment(),
                    new int[] {0, 1, 2, pair[1]});
            return new CriuSession(sys, pair[0], pid);
        } catch (NativeException | RuntimeException e) {
            sys.close(pair[0]);
            throw e;
        } finally {
            sys.close(pair[1]);
        }
    }

    static List<String> environment() {
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        return env;
    }

    /** CRIU freezes the tree through the cgroup freezer rather than ptrace, as under runc. */
    static String freezer(Map<String, String> cgroupPaths) {
        String v1 = cgroupPaths.get("freezer");
        if (v1 != null) {
            return v1;
        }
        return cgroupPaths.size() == 1 ? cgroupPaths.get(CgroupManager.UNIFIED) : null;
    }

    /**
     * Each external mount is recorded under its own mount point; masked files all under the
     * null device's key (restore binds the host's null device there again).
     */
    private Map<String, String> extMounts(ContainerState s, Spec spec) throws JrunException {
        CgroupView view;
        try {
            view = host.cgroup(s.cgroupPaths()).view();
        } catch (CgroupException e) {
            throw new JrunException(e.getMessage(), e);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String mountPoint : CriuMounts.external(spec, Path.of(s.bundle()), view).keySet()) {
            map.put(mountPoint, mountPoint);
        }
        Path root = Path.of("/proc", Integer.toString(s.pid()), "root");
        for (String masked : CriuMounts.masked(spec)) {
            Path p = root.resolve(masked.substring(1));
            // a directory is masked with a tmpfs, which CRIU dumps itself; a missing path was never masked
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                map.put(masked, CriuMounts.NULL_DEVICE);
            }
        }
        return map;
    }

    /** Network and pid namespaces joined by path stay outside the images: restore joins them again. */
    private static List<String> externalNamespaces(Spec spec) throws JrunException {
        List<String> external = new ArrayList<>();
        for (NamespaceType t : List.of(NamespaceType.NETWORK, NamespaceType.PID)) {
            LinuxNamespace ns = spec.linux() == null ? null : spec.linux().namespace(t.type);
            if (ns == null || ns.path() == null || ns.path().isEmpty()) {
                continue;
            }
            try {
                long inode = ((Number) Files.getAttribute(Path.of(ns.path()), "unix:ino")).longValue();
                external.add(criuName(t) + "[" + inode + "]:" + externalKey(t));
            } catch (IOException e) {
                throw new JrunException("stat " + ns.path() + ": " + StateStore.reason(e), e);
            }
        }
        return external;
    }

    /** CRIU's (the kernel's) short name of a namespace type. */
    static String criuName(NamespaceType t) {
        switch (t) {
            case NETWORK: return "net";
            case MOUNT: return "mnt";
            default: return t.type;
        }
    }

    /** The key of an external namespace: runc's, so images move between the two runtimes. */
    static String externalKey(NamespaceType t) {
        String n = criuName(t);
        return "extRoot" + Character.toUpperCase(n.charAt(0)) + n.substring(1) + "NS";
    }

    /**
     * CRIU reads a configuration file that overrides the request: the one the org.criu.config
     * annotation names ("" for none), else runc's, so a host set up for runc behaves the same.
     */
    static String configFile(Spec spec) {
        Map<String, String> annotations = spec.annotations();
        if (annotations != null && annotations.containsKey("org.criu.config")) {
            String file = annotations.get("org.criu.config");
            return file.isEmpty() ? null : file;
        }
        return "/etc/criu/runc.conf";
    }

    /** What the init's stdio are ("pipe:[123]", "/dev/pts/0"...), for restore to reconnect pipes. */
    private static void writeDescriptors(int pid, Path imageDir) throws IOException {
        com.fasterxml.jackson.core.JsonFactory f = new com.fasterxml.jackson.core.JsonFactory();
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = f.createGenerator(out)) {
            g.writeStartArray();
            for (int fd = 0; fd < 3; fd++) {
                String target;
                try {
                    target = Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "fd", Integer.toString(fd)))
                            .toString();
                } catch (IOException e) {
                    target = "";
                }
                g.writeString(target);
            }
            g.writeEndArray();
        }
        Path file = imageDir.resolve(DESCRIPTORS);
        try {
            Files.writeString(file, out.toString());
        } catch (IOException e) {
            throw new IOException("write " + file + ": " + StateStore.reason(e), e);
        }
    }

    /** The checkpointed init's stdio as {@link #DESCRIPTORS} recorded it; restore reconnects pipes among them. */
    static List<String> readDescriptors(Path imagePath) throws JrunException, IOException {
        Path file = imagePath.resolve(DESCRIPTORS);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(imagePath)) {
                throw new JrunException("open " + imagePath + ": no such file or directory");
            }
            throw new JrunException("open " + file + ": no such file or directory (is " + imagePath + " a checkpoint?)");
        }
        List<String> list = new ArrayList<>();
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(bytes)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                throw new IOException("not an array");
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                list.add(p.getText());
            }
        } catch (IOException e) {
            throw new JrunException(file + " is not a list of descriptors: " + e.getMessage(), e);
        }
        return list;
    }

    /**
     * CRIU's answer, its log's error lines as warnings (as runc quotes them), and, when CRIU
     * itself does not work on this kernel, that instead.
     */
    static JrunException failure(CriuException e, Path criu, CriuOptions o, String logName) {
        Path log = o.logDir().resolve(logName);
        String unusable = CriuBinary.unusable(criu);
        if (unusable != null) {
            return new JrunException(unusable + " (" + e.getMessage() + "; see " + log + ")", e);
        }
        String reason = CriuLog.firstError(log);
        if (reason == null) {
            reason = e.criuMessage();
        }
        return new JrunException(e.getMessage() + (reason != null ? ": " + reason : "") + " (see " + log + ")", e);
    }

    private int keep(int fd) {
        fds.add(fd);
        return fd;
    }
}
