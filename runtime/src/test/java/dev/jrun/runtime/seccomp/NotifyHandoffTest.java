package dev.jrun.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrun.runtime.linux.Errno;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import dev.jrun.spec.model.LinuxSeccomp;
import dev.jrun.spec.model.State;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the seccomp agent receives, and how a missing agent fails. */
class NotifyHandoffTest {
    static final LinuxSeccomp PROFILE = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, "/run/agent.sock",
            "MKNOD=/dev/null", List.of(SeccompCompilerTest.rule("SCMP_ACT_NOTIFY", "mkdir")));
    static final State STATE = new State("1.3.0", "c1", "creating", 4422L, "/b", Map.of("k", "v"));

    /** A Syscalls that records connect, send and close, and refuses connections when told to. */
    static Syscalls recorder(List<String> log, int connectErrno) {
        return (Syscalls) Proxy.newProxyInstance(Syscalls.class.getClassLoader(), new Class<?>[] {Syscalls.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "connectUnix" -> {
                            log.add("connect " + args[0]);
                            if (connectErrno != 0) {
                                throw new NativeException("connect " + args[0], connectErrno);
                            }
                            return 7;
                        }
                        case "sendWithFd" -> {
                            log.add("send " + args[0] + " fd " + args[2] + " "
                                    + new String((byte[]) args[1], StandardCharsets.UTF_8));
                            return null;
                        }
                        case "close" -> {
                            log.add("close " + args[0]);
                            return null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    @Test
    void theContainerProcessStateAsTheSpecShowsIt() {
        assertEquals("{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":4422,\"metadata\":\"MKNOD=/dev/null\","
                + "\"state\":{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":4422,"
                + "\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\"}}}",
                new String(NotifyHandoff.message(PROFILE, STATE, 4422), StandardCharsets.UTF_8));
    }

    @Test
    void noMetadataNoField() {
        LinuxSeccomp s = new LinuxSeccomp("SCMP_ACT_ALLOW", null, null, null, "/a", "", PROFILE.syscalls());
        String json = new String(NotifyHandoff.message(s, STATE, 1), StandardCharsets.UTF_8);
        assertEquals(-1, json.indexOf("metadata"), json);
    }

    @Test
    void oneConnectionOneSendmsgThenClosed() throws Exception {
        List<String> log = new ArrayList<>();
        NotifyHandoff.send(recorder(log, 0), PROFILE, STATE, 4422, 12);
        assertEquals(3, log.size(), log.toString());
        assertEquals("connect /run/agent.sock", log.get(0));
        assertEquals("send 7 fd 12 " + new String(NotifyHandoff.message(PROFILE, STATE, 4422), StandardCharsets.UTF_8),
                log.get(1));
        assertEquals("close 7", log.get(2));
    }

    @Test
    void aMissingListenerFailsClearly() {
        List<String> log = new ArrayList<>();
        SeccompException e = assertThrows(SeccompException.class,
                () -> NotifyHandoff.send(recorder(log, Errno.ECONNREFUSED), PROFILE, STATE, 1, 12));
        assertEquals("failed to connect with seccomp agent specified in the seccomp profile: connect /run/agent.sock: connection refused", e.getMessage());
        assertEquals(List.of("connect /run/agent.sock"), log);
    }
}
