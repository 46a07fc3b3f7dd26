package dev.jrun.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jrun.testbundles.Bundle;
import dev.jrun.testbundles.Probe;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The attacks behind DESIGN.md §5, each tried for real. */
class SecurityTest extends ContainerTest {

    @Test
    void mountDestinationSymlinksResolveInsideTheRootfs() throws Exception {
        Path victim = Files.createDirectories(work.resolve("victim"));
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe")
                .addMount("/absolute/sub", "tmpfs", "tmpfs")
                .addMount("/relative/sub", "tmpfs", "tmpfs"));
        // an absolute link to a host directory, and a relative one that climbs past the root;
        // the same path exists inside the rootfs, which is where both must land
        Files.createSymbolicLink(b.rootfs().resolve("absolute"), victim);
        Files.createSymbolicLink(b.rootfs().resolve("relative"), Path.of("../../../../../../../../" + victim));
        Path inside = Files.createDirectories(b.rootfs().resolve(victim.toString().substring(1)));
        Map<String, Object> p = jrun("run", "--bundle", b.dir().toString(), id).ok().json();
        assertTrue(Files.isDirectory(inside.resolve("sub")), "the mount point was made inside the rootfs");
        try (var host = Files.list(victim)) {
            assertEquals(List.of(), host.toList(), "nothing was created in the host directory");
        }
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(victim.toString()),
                "nothing was mounted on the host");
        assertEquals("tmpfs", FilesystemTest.mountAt(p, victim + "/sub").get("fstype"));
    }

    /** A dangling link is followed inside the rootfs and its target made there, as runc does. */
    @Test
    void aDanglingSymlinkDestinationIsMadeInsideTheRootfsNeverOnTheHost() throws Exception {
        Path victim = work.resolve("victim-missing");
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe").addMount("/absolute/sub", "tmpfs", "tmpfs"));
        Files.createSymbolicLink(b.rootfs().resolve("absolute"), victim);
        Map<String, Object> p = jrun("run", "--bundle", b.dir().toString(), id).ok().json();
        assertFalse(Files.exists(victim), "the host path was not created");
        assertTrue(Files.isDirectory(b.rootfs().resolve(victim.toString().substring(1)).resolve("sub")),
                "the link's target was made inside the rootfs");
        assertEquals("tmpfs", FilesystemTest.mountAt(p, victim + "/sub").get("fstype"));
        assertFalse(Files.exists(root.resolve(id)));
    }

    @Test
    void procMustNotBeASymlink() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> { });
        Files.delete(b.rootfs().resolve("proc"));
        Files.createDirectories(b.rootfs().resolve("elsewhere"));
        Files.createSymbolicLink(b.rootfs().resolve("proc"), Path.of("elsewhere"));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status());
        assertEquals("filesystem \"proc\" must be mounted on ordinary directory\n", r.err());
        assertFalse(Files.exists(root.resolve(id)));
    }

    /** "." and ".." in root.path are cleaned lexically (as runc cleans them), never resolved through links. */
    @Test
    void aRootfsPathIsCleanedBeforeUse() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.rootPath("rootfs/../rootfs/./").args("/bin/jrun-probe", "read", "/marker"));
        Files.writeString(b.rootfs().resolve("marker"), "this rootfs\n");
        Result r = jrun("run", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.status(), r.err());
        assertEquals("this rootfs\n", r.json().get("content"));
        assertEquals(b.rootfs().normalize().toString(), jrunState(b, id), "state shows the clean path");
    }

    private String jrunState(Bundle b, String id) throws Exception {
        String other = newId();
        jrun("create", "--bundle", b.dir().toString(), other).ok();
        return (String) jrun("state", other).ok().json().get("rootfs");
    }

    @Test
    void aRootfsPathThroughASymlinkIsRefused() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.rootPath("link"));
        // the builder made the tree at rootfs/; link points there
        Files.createSymbolicLink(b.dir().resolve("link"), Path.of("rootfs"));
        Result r = jrun("create", "--bundle", b.dir().toString(), id);
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("config.json: root.path: "), r.err());
        assertTrue(r.err().contains("must not be or pass through a symbolic link"), r.err());
        assertFalse(Files.exists(root.resolve(id)));
    }

    @Test
    void onlyPreservedFdsReachTheContainer() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe"));
        // fds 3 and 4 are passed on purpose; 5 is open in the caller but not meant for the container
        String cmd = "exec 3</etc/hostname 4</etc/passwd 5</etc/group; exec " + jrun + " --root " + root
                + " run --preserve-fds 2 --bundle " + b.dir() + " " + id;
        Result r = exec(null, List.of("/bin/sh", "-c", cmd), 60);
        assertEquals(0, r.status(), r.err());
        Map<String, Object> p = r.json();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), ((List<?>) p.get("fds")).stream().map(o -> number(o)).toList());
        assertEquals("/etc/hostname", get(p, "fd_targets", "3"), "a host file, since it was passed");
    }

    @Test
    void aCwdOutsideTheRootfsIsRefused() throws Exception {
        String id = newId();
        // the leaky-vessels attack: a cwd reached through an fd to a host directory
        Bundle b = bundle(id, c -> c.cwd("/proc/self/fd/3"));
        String cmd = "exec 3</tmp; exec " + jrun + " --root " + root + " --log /dev/null create --preserve-fds 1 --bundle " + b.dir()
                + " " + id;
        Result r = exec(null, List.of("/bin/sh", "-c", cmd), 60);
        assertEquals(1, r.status());
        assertEquals("chdir to cwd /proc/self/fd/3: cwd /proc/self/fd/3 is outside the container root: "
                + "operation not permitted\n", r.err());
        assertFalse(Files.exists(root.resolve(id)));
    }

    @Test
    void theInitIsTheSealedCopyAndNotDumpable() throws Exception {
        String id = newId();
        Bundle b = bundle(id, c -> c.args("/bin/jrun-probe", "exit", "0"));
        jrun("create", "--bundle", b.dir().toString(), id).ok();
        long pid = number(jrun("state", id).ok().json().get("pid"));
        Path exe = Path.of("/proc/" + pid + "/exe");
        assertEquals(MEMFD, Files.readSymbolicLink(exe).toString());

        // While the init runs from its image the kernel refuses to open it for writing, as it
        // does any running program's, sealed or not.
        Map<String, Object> write = onHost(List.of(Probe.binary().toString(), "write", exe.toString(), "overwritten"));
        assertEquals("ETXTBSY", write.get("errno"), write.toString());

        // Not dumpable: a root process without CAP_SYS_PTRACE may not open its /proc/PID/fd
        // entries, though it may a dumpable root process's.  The init's capabilities must be
        // among the reader's, or they alone would deny it.
        String capPrm = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("CapPrm:")).findFirst().orElseThrow().split("\\s+")[1];
        assertEquals(0, Long.parseLong(capPrm, 16) & (1L << CAP_SYS_PTRACE), "the init's CapPrm " + capPrm);
        Process dumpable = new ProcessBuilder(withoutPtrace("sleep", "120"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            Path control = Path.of("/proc/" + dumpable.pid() + "/exe");
            awaitTrue(() -> Files.readSymbolicLink(control).toString().endsWith("/sleep"), "sleep started");
            Map<String, Object> seen = onHost(withoutPtrace(Probe.binary().toString(), "read",
                    "/proc/" + dumpable.pid() + "/fd/0"));
            assertEquals(true, seen.get("ok"), "the reader can open a dumpable process's fds: " + seen);
            Map<String, Object> denied = onHost(withoutPtrace(Probe.binary().toString(), "read",
                    "/proc/" + pid + "/fd/0"));
            assertEquals("EACCES", denied.get("errno"), "the init is not dumpable: " + denied);
        } finally {
            dumpable.destroyForcibly();
        }

        // The seal is what protects the copy once nothing runs from it: hold it open, let the
        // init become the container's process, and try to write it through the held fd.
        try (FileChannel held = FileChannel.open(exe, StandardOpenOption.READ)) {
            String heldFd = fdOf(MEMFD);
            jrun("start", id).ok();
            awaitTrue(() -> !MEMFD.equals(linkOrGone(exe)), "the init executed the container's process");
            write = onHost(List.of(Probe.binary().toString(), "write",
                    "/proc/" + ProcessHandle.current().pid() + "/fd/" + heldFd, "overwritten"));
            assertEquals("EPERM", write.get("errno"), "the memfd is sealed: " + write);
            ByteBuffer magic = ByteBuffer.allocate(4);
            held.read(magic, 0);
            assertEquals("\u007fELF", new String(magic.array(), StandardCharsets.ISO_8859_1), "the image is intact");
        }
    }

    private static final String MEMFD = "/memfd:jrun-init (deleted)";
    private static final int CAP_SYS_PTRACE = 19;

    private static List<String> withoutPtrace(String... cmd) {
        List<String> all = new ArrayList<>(List.of("setpriv", "--bounding-set=-sys_ptrace", "--"));
        all.addAll(List.of(cmd));
        return all;
    }

    /** Runs a probe command on the host and returns its report. */
    private static Map<String, Object> onHost(List<String> cmd) throws IOException, InterruptedException {
        Result r = exec(null, cmd, 60);
        if (!r.out().startsWith("{")) {
            fail(cmd + " exited " + r.status() + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        }
        return r.json();
    }

    private static String linkOrGone(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException gone) {
            return "";
        }
    }

    /** The number of this JVM's fd whose /proc link reads {@code target}. */
    private static String fdOf(String target) throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> target.equals(linkOrGone(fd))).findFirst()
                    .orElseThrow(() -> new AssertionError("no fd of this process is " + target))
                    .getFileName().toString();
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls for up to 60 s: a loaded machine may take long, a fixed sleep would guess. */
    private static void awaitTrue(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException notYet) {
                // the process is still starting
            }
            if (System.nanoTime() > deadline) {
                fail("gave up waiting, after 60 s, for: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theDefaultCapabilitiesCannotRemountOrMount() throws Exception {
        Map<String, Object> p = probe(c -> { }, "mount-umount", "/proc");
        assertEquals("EPERM", p.get("errno"));
    }
}
