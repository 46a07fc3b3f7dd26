package dev.jrun.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_cg_mode;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_features;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_notify;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_opts;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_req;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_req_type;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_resp;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_restore_resp;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The conversation with `criu swrk`, against a fake CRIU on the other end of a real
 * SOCK_SEQPACKET pair (no root needed): what jrun asks for, how it answers CRIU's
 * notifications, and how CRIU's failures read.
 */
class CriuSessionTest {
    private final Syscalls sys = Syscalls.get();

    /** A fake CRIU: reads the request, then plays a script of responses, recording each reply. */
    private final class FakeCriu {
        final int socket;
        final List<criu_req> received = new ArrayList<>();

        FakeCriu(int socket) {
            this.socket = socket;
        }

        criu_req read() throws Exception {
            byte[] buf = new byte[65536];
            Syscalls.Received r = sys.receive(socket, buf, 0, buf.length);
            if (r.bytes() == 0) {
                return null;
            }
            criu_req req = criu_req.parseFrom(Arrays.copyOf(buf, r.bytes()));
            received.add(req);
            return req;
        }

        void send(criu_resp resp) throws NativeException {
            byte[] b = resp.toByteArray();
            sys.writeAll(socket, b, 0, b.length);
        }

        void notify(String script, int pid, int fd) throws Exception {
            criu_resp resp = criu_resp.newBuilder().setType(criu_req_type.NOTIFY).setSuccess(true)
                    .setNotify(criu_notify.newBuilder().setScript(script).setPid(pid)).build();
            if (fd >= 0) {
                sys.sendWithFd(socket, resp.toByteArray(), fd);
            } else {
                send(resp);
            }
            criu_req ack = read();
            assertEquals(criu_req_type.NOTIFY, ack.getType(), "each notification is answered");
            assertTrue(ack.getNotifySuccess());
        }
    }

    private static CriuOptions options(boolean preDump) {
        return new CriuOptions(Path.of("/images"), null, preDump ? "../parent" : null, false, true, false, false,
                false, false, false, preDump, "soft", List.of("network"), false, null, -1, false, null, null);
    }

    private static CriuRequests.Restore restoreRequest() {
        Map<String, String> ext = new LinkedHashMap<>();
        ext.put("/mnt/data", "/srv/data");
        ext.put("/dev/null", "/dev/null");
        return new CriuRequests.Restore("/bundle/rootfs", 7, -1, ext, Map.of("ipc", "/proc/1/ns/ipc"),
                Map.of("pipe:[42]", 1, "extRootNetNS", 4), Map.of("", "/jrun/c1", "pids", "/jrun/c1"), "/yard",
                "/etc/criu/runc.conf", options(false));
    }

    @Test
    void restoreAnswersEveryNotificationAndReturnsTheRestoredPid() throws Exception {
        int[] pair = sys.seqpacketPair();
        int[] pty = sys.pipe();
        FakeCriu criu = new FakeCriu(pair[1]);
        List<String> events = new ArrayList<>();
        CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
            try {
                criu.read();
                criu.notify("setup-namespaces", 4242, -1);
                criu.notify("orphan-pts-master", 0, pty[0]);
                criu.notify("network-unlock", 0, -1);
                criu.notify("post-restore", 4242, -1);
                criu.send(criu_resp.newBuilder().setType(criu_req_type.RESTORE).setSuccess(true)
                        .setRestore(criu_restore_resp.newBuilder().setPid(4242)).build());
                assertEquals(null, criu.read(), "jrun hangs up once restored, which ends CRIU");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        int pid;
        try (CriuSession session = new CriuSession(sys, pair[0], -1)) {
            pid = session.restore(restoreRequest(), new CriuEvents() {
                @Override
                public void setupNamespaces(int p) {
                    events.add("hooks for " + p);
                }

                @Override
                public void orphanPtsMaster(int fd) {
                    events.add("terminal " + (fd >= 0 && fd != pty[0]));
                }

                @Override
                public void postRestore(int p) {
                    events.add("restored " + p);
                }
            });
        }
        peer.get(10, TimeUnit.SECONDS);
        sys.close(pair[1]);
        sys.close(pty[0]);
        sys.close(pty[1]);
        assertEquals(4242, pid);
        assertEquals(List.of("hooks for 4242", "terminal true", "restored 4242"), events);

        criu_req req = criu.received.get(0);
        assertEquals(criu_req_type.RESTORE, req.getType());
        criu_opts o = req.getOpts();
        assertEquals(7, o.getImagesDirFd());
        assertEquals("/bundle/rootfs", o.getRoot());
        assertTrue(o.getRstSibling(), "the restored init becomes jrun's child, not CRIU's");
        assertTrue(o.getOrphanPtsMaster());
        assertTrue(o.getNotifyScripts());
        assertTrue(o.getTcpEstablished());
        assertFalse(o.hasWorkDirFd());
        assertEquals(0x40000000, o.getEmptyNs(), "the network namespace is always restored empty, as by runc");
        assertEquals(criu_cg_mode.SOFT, o.getManageCgroupsMode());
        assertEquals("/yard", o.getCgroupYard());
        assertEquals("/etc/criu/runc.conf", o.getConfigFile());
        assertEquals(2, o.getExtMntCount());
        assertEquals("/mnt/data", o.getExtMnt(0).getKey());
        assertEquals("/srv/data", o.getExtMnt(0).getVal());
        assertEquals("ipc", o.getJoinNs(0).getNs());
        assertEquals(2, o.getInheritFdCount());
        assertEquals(2, o.getCgRootCount());
    }

    @Test
    void criuFailureIsReportedWithItsErrnoAndMessage() throws Exception {
        int[] pair = sys.seqpacketPair();
        FakeCriu criu = new FakeCriu(pair[1]);
        CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
            try {
                criu.read();
                criu.send(criu_resp.newBuilder().setType(criu_req_type.RESTORE).setSuccess(false).setCrErrno(2)
                        .setCrErrmsg("Can't open pstree.img\n").build());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        CriuException e;
        try (CriuSession session = new CriuSession(sys, pair[0], -1)) {
            e = assertThrows(CriuException.class, () -> session.restore(restoreRequest(), new CriuEvents() { }));
        }
        peer.get(10, TimeUnit.SECONDS);
        sys.close(pair[1]);
        assertEquals("criu failed: type RESTORE errno 2", e.getMessage());
        assertEquals("Can't open pstree.img", e.criuMessage());
    }

    @Test
    void aFailingEventStopsTheConversation() throws Exception {
        int[] pair = sys.seqpacketPair();
        FakeCriu criu = new FakeCriu(pair[1]);
        CompletableFuture<criu_req> peer = CompletableFuture.supplyAsync(() -> {
            try {
                criu.read();
                criu.send(criu_resp.newBuilder().setType(criu_req_type.NOTIFY).setSuccess(true)
                        .setNotify(criu_notify.newBuilder().setScript("setup-namespaces").setPid(9)).build());
                return criu.read();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try (CriuSession session = new CriuSession(sys, pair[0], -1)) {
            CriuException e = assertThrows(CriuException.class, () -> session.restore(restoreRequest(),
                    new CriuEvents() {
                        @Override
                        public void setupNamespaces(int pid) throws CriuException {
                            throw new CriuException("error running prestart hook #0: exit status 1");
                        }
                    }));
            assertEquals("error running prestart hook #0: exit status 1", e.getMessage());
        }
        assertEquals(null, peer.get(10, TimeUnit.SECONDS), "no answer: CRIU sees jrun hang up and gives up");
        sys.close(pair[1]);
    }

    @Test
    void aHangUpWithoutAnAnswerIsAnError() throws Exception {
        int[] pair = sys.seqpacketPair();
        sys.close(pair[1]);
        try (CriuSession session = new CriuSession(sys, pair[0], -1)) {
            CriuException e = assertThrows(CriuException.class,
                    () -> session.dump(new CriuRequests.Dump(1, "/r", 3, -1, null, Map.of(), List.of(), null,
                            options(false)), new CriuEvents() { }));
            assertTrue(e.getMessage().startsWith("criu hung up") || e.getMessage().contains("criu"), e.getMessage());
        }
    }

    @Test
    void preDumpTracksMemoryAgainstTheParentAndLeavesMountsAlone() throws Exception {
        int[] pair = sys.seqpacketPair();
        FakeCriu criu = new FakeCriu(pair[1]);
        CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
            try {
                criu.read();
                criu.send(criu_resp.newBuilder().setType(criu_req_type.PRE_DUMP).setSuccess(true).build());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try (CriuSession session = new CriuSession(sys, pair[0], -1)) {
            session.dump(new CriuRequests.Dump(77, "/r", 3, 5, "/sys/fs/cgroup/freezer/c", Map.of("/m", "/m"),
                    List.of("net[4026531840]:extRootNetNS"), null, options(true)), new CriuEvents() { });
        }
        peer.get(10, TimeUnit.SECONDS);
        sys.close(pair[1]);
        criu_req req = criu.received.get(0);
        assertEquals(criu_req_type.PRE_DUMP, req.getType());
        criu_opts o = req.getOpts();
        assertEquals(77, o.getPid());
        assertEquals("../parent", o.getParentImg());
        assertTrue(o.getTrackMem());
        assertEquals(5, o.getWorkDirFd());
        assertEquals("/sys/fs/cgroup/freezer/c", o.getFreezeCgroup());
        assertEquals(List.of("net[4026531840]:extRootNetNS"), o.getExternalList());
        assertEquals(0, o.getExtMntCount(), "a pre-dump takes memory only");
        assertFalse(o.hasConfigFile());
    }

    @Test
    void featureCheckNamesWhatIsMissing() throws Exception {
        int[] pair = sys.seqpacketPair();
        FakeCriu criu = new FakeCriu(pair[1]);
        CompletableFuture<Void> peer = CompletableFuture.runAsync(() -> {
            try {
                criu_req req = criu.read();
                assertTrue(req.getFeatures().getMemTrack());
                criu.send(criu_resp.newBuilder().setType(criu_req_type.FEATURE_CHECK).setSuccess(true)
                        .setFeatures(criu_features.newBuilder().setMemTrack(false).setLazyPages(true)).build());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try (CriuSession session = new CriuSession(sys, pair[0], -1)) {
            assertEquals(List.of("MemTrack"), session.missingFeatures(true, true));
        }
        peer.get(10, TimeUnit.SECONDS);
        sys.close(pair[1]);
    }

    @Test
    void flagsAreCheckedInRuncsWords() {
        CriuOptions badMode = new CriuOptions(Path.of("/i"), null, null, false, false, false, false, false, false, false,
                false, "hard", List.of(), false, null, -1, false, null, null);
        assertEquals("invalid manage-cgroups-mode value",
                assertThrows(CriuException.class, () -> CriuRequests.validate(badMode)).getMessage());
        CriuOptions badNs = new CriuOptions(Path.of("/i"), null, null, false, false, false, false, false, false, false,
                false, null, List.of("ipc"), false, null, -1, false, null, null);
        assertEquals("namespace \"ipc\" is not supported",
                assertThrows(CriuException.class, () -> CriuRequests.validate(badNs)).getMessage());
        CriuOptions badServer = new CriuOptions(Path.of("/i"), null, null, false, false, false, false, false, false,
                false, false, null, List.of(), false, "localhost", -1, false, null, null);
        assertEquals("Use --page-server ADDRESS:PORT to specify page server",
                assertThrows(CriuException.class, () -> CriuRequests.validate(badServer)).getMessage());
        assertEquals(new CriuRequests.PageServer("::1", 27), assertDoesNotThrow("[::1]:27"));
    }

    private static CriuRequests.PageServer assertDoesNotThrow(String value) {
        try {
            return CriuRequests.PageServer.parse(value);
        } catch (CriuException e) {
            throw new AssertionError(e);
        }
    }
}
