package dev.jrun.runtime.checkpoint;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_features;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_req;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_req_type;
import dev.jrun.runtime.checkpoint.rpc.CriuRpc.criu_resp;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import java.util.ArrayList;
import java.util.List;

/**
 * One conversation with `criu swrk`: CRIU serves a single request over a SOCK_SEQPACKET
 * socket (one message per protobuf), stopping at each notification until it is answered, and
 * exits when its end closes.  The caller starts CRIU with the other end; this class owns its
 * own end and reaps CRIU, which must be the caller's child.
 */
public final class CriuSession implements AutoCloseable {
    /** Larger than any response CRIU sends; a full buffer means one was cut. */
    private static final int MAX_MESSAGE = 64 * 1024;

    private final Syscalls sys;
    private int socket;
    private int criuPid;
    private int statusFd;

    /**
     * @param socket our end of the socket pair whose other end CRIU was given
     * @param criuPid CRIU's pid, our child
     */
    public CriuSession(Syscalls sys, int socket, int criuPid) {
        this.sys = sys;
        this.socket = socket;
        this.criuPid = criuPid;
        this.statusFd = -1;
    }

    /** Dumps (or pre-dumps) the container; CRIU has exited when this returns. */
    public void dump(CriuRequests.Dump request, CriuEvents events) throws CriuException {
        statusFd = request.options().lazyPages() ? request.options().statusFd() : -1;
        criu_resp resp = converse(CriuRequests.dump(request), events);
        criu_req_type expected = request.options().preDump() ? criu_req_type.PRE_DUMP : criu_req_type.DUMP;
        if (resp.getType() != expected) {
            throw new CriuException("unexpected response from criu: " + resp.getType());
        }
        // a pre-dump CRIU waits for the next request of a series jrun never sends: it is told to go
        finish(!request.options().preDump());
    }

    /** Restores the container; returns the restored init's pid. CRIU has exited when this returns. */
    public int restore(CriuRequests.Restore request, CriuEvents events) throws CriuException {
        criu_resp resp = converse(CriuRequests.restore(request), events);
        if (resp.getType() != criu_req_type.RESTORE) {
            throw new CriuException("unexpected response from criu: " + resp.getType());
        }
        finish(true);
        return resp.getRestore().getPid();
    }

    /**
     * Which of the asked features CRIU lacks on this kernel, by runc's names ("MemTrack",
     * "LazyPages"); empty when it has them all.
     */
    public List<String> missingFeatures(boolean memTrack, boolean lazyPages) throws CriuException {
        criu_resp resp = converse(CriuRequests.featureCheck(memTrack, lazyPages), new CriuEvents() { });
        finish(true);
        criu_features has = resp.getFeatures();
        List<String> missing = new ArrayList<>();
        if (memTrack && !has.getMemTrack()) {
            missing.add("MemTrack");
        }
        if (lazyPages && !has.getLazyPages()) {
            missing.add("LazyPages");
        }
        return missing;
    }

    private criu_resp converse(byte[] request, CriuEvents events) throws CriuException {
        send(request);
        byte[] buf = new byte[MAX_MESSAGE];
        while (true) {
            Syscalls.Received got;
            try {
                got = sys.receive(socket, buf, 0, buf.length);
            } catch (NativeException e) {
                throw new CriuException("read from criu: " + e.getMessage(), e);
            }
            if (got.bytes() == 0) {
                closePassed(got.fd());
                throw new CriuException(howCriuEnded());
            }
            if (got.bytes() == buf.length) {
                closePassed(got.fd());
                throw new CriuException("a message from criu is larger than " + MAX_MESSAGE + " bytes");
            }
            criu_resp resp;
            try {
                resp = criu_resp.parseFrom(java.util.Arrays.copyOf(buf, got.bytes()));
            } catch (InvalidProtocolBufferException e) {
                closePassed(got.fd());
                throw new CriuException("unreadable message from criu: " + e.getMessage(), e);
            }
            if (!resp.getSuccess()) {
                closePassed(got.fd());
                throw new CriuException("criu failed: type " + resp.getType() + " errno " + resp.getCrErrno(),
                        resp.hasCrErrmsg() && !resp.getCrErrmsg().isBlank() ? resp.getCrErrmsg().strip() : null);
            }
            if (resp.getType() != criu_req_type.NOTIFY) {
                closePassed(got.fd());
                return resp;
            }
            try {
                notify(resp, got.fd(), events);
            } finally {
                closePassed(got.fd());
            }
            send(criu_req.newBuilder().setType(criu_req_type.NOTIFY).setNotifySuccess(true).build().toByteArray());
        }
    }

    private void notify(criu_resp resp, int passedFd, CriuEvents events) throws CriuException {
        if (!resp.hasNotify()) {
            throw new CriuException("invalid notification from criu: " + resp.getType());
        }
        String script = resp.getNotify().getScript();
        int pid = resp.getNotify().getPid();
        switch (script) {
            case "setup-namespaces" -> events.setupNamespaces(pid);
            case "post-restore" -> events.postRestore(pid);
            case "orphan-pts-master" -> {
                if (passedFd < 0) {
                    throw new CriuException("criu sent no terminal with its orphan-pts-master notification");
                }
                events.orphanPtsMaster(passedFd);
            }
            case "status-ready" -> {
                events.statusReady();
                if (statusFd >= 0) {
                    try {
                        sys.writeAll(statusFd, new byte[] {0}, 0, 1);
                    } catch (NativeException e) {
                        // whoever waits on it sees the fd close instead
                    }
                    sys.close(statusFd);
                    statusFd = -1;
                }
            }
            default -> {
                // network-lock/-unlock, pre-/post-dump, pre-/post-resume...: runc leaves the
                // network to whoever set it up, and jrun has nothing else to do at them
            }
        }
    }

    private void send(byte[] message) throws CriuException {
        try {
            sys.writeAll(socket, message, 0, message.length);
        } catch (NativeException e) {
            throw new CriuException(howCriuEnded(), e);
        }
    }

    private void closePassed(int fd) {
        if (fd >= 0) {
            sys.close(fd);
        }
    }

    /** CRIU hung up before answering: it died; its exit says how. */
    private String howCriuEnded() {
        int pid = criuPid;
        criuPid = -1;
        if (pid <= 0) {
            return "criu hung up";
        }
        try {
            int status = sys.waitpid(pid, false);
            if (!Syscalls.exited(status)) {
                return "criu was killed by signal " + Syscalls.termSignal(status);
            }
            return "criu exited with status " + Syscalls.exitCode(status) + " without an answer";
        } catch (NativeException e) {
            return "criu exited without an answer";
        }
    }

    /**
     * Closes our end (CRIU exits on seeing it close) and reaps CRIU.
     *
     * @param mustSucceed whether a non-zero exit is a failure
     */
    private void finish(boolean mustSucceed) throws CriuException {
        sys.close(socket);
        socket = -1;
        int pid = criuPid;
        criuPid = -1;
        if (pid <= 0) {
            return;
        }
        int status;
        try {
            status = sys.waitpid(pid, false);
        } catch (NativeException e) {
            throw new CriuException("wait for criu: " + e.getMessage(), e);
        }
        if (mustSucceed && (!Syscalls.exited(status) || Syscalls.exitCode(status) != 0)) {
            throw new CriuException("criu failed: " + (Syscalls.exited(status)
                    ? "exit status " + Syscalls.exitCode(status) : "signal " + Syscalls.termSignal(status)));
        }
    }

    /** Ends a conversation cut short: CRIU is killed and reaped. */
    @Override
    public void close() {
        if (socket >= 0) {
            sys.close(socket);
            socket = -1;
        }
        if (criuPid > 0) {
            try {
                sys.kill(criuPid, 9);
                sys.waitpid(criuPid, false);
            } catch (NativeException e) {
                // already gone
            }
            criuPid = -1;
        }
        if (statusFd >= 0) {
            sys.close(statusFd);
            statusFd = -1;
        }
    }
}
