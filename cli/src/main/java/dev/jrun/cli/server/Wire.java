package dev.jrun.cli.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The front end's socket protocol.  Every message is one SOCK_SEQPACKET record of
 * NUL-terminated UTF-8 fields; the first field names the message.
 * <pre>
 *   front end -> server   request  VERSION BUILD CWD ARGC ARGV... ENVC ENV... NFDS FD...
 *                         (the caller's open fds ride along with SCM_RIGHTS, in the order of
 *                         the FD fields, which give each one's number in the caller)
 *   server -> front end   accepted RETRY     the server runs the call; RETRY "1" when the
 *                                            call may be run again in-process if the server
 *                                            dies before it answers (it changes nothing)
 *                         fallback REASON    not served: run it in-process, nothing was done
 *                         exit STATUS        the call's exit status; the last message
 * </pre>
 */
public final class Wire {
    public static final String VERSION = "1";
    /** What one request may carry: the kernel's limit on fds in one message (SCM_MAX_FD). */
    public static final int MAX_FDS = 253;
    public static final int MAX_BYTES = 1 << 20;

    private Wire() {
    }

    /** A front end's request. */
    public record Request(String build, String cwd, List<String> argv, List<String> env, int[] callerFds) {
    }

    public static final class ProtocolException extends Exception {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    public static byte[] encode(String... fields) {
        StringBuilder b = new StringBuilder();
        for (String f : fields) {
            b.append(f).append('\0');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] encode(Request r) {
        List<String> f = new ArrayList<>();
        f.add("request");
        f.add(VERSION);
        f.add(r.build());
        f.add(r.cwd());
        f.add(String.valueOf(r.argv().size()));
        f.addAll(r.argv());
        f.add(String.valueOf(r.env().size()));
        f.addAll(r.env());
        f.add(String.valueOf(r.callerFds().length));
        for (int fd : r.callerFds()) {
            f.add(String.valueOf(fd));
        }
        return encode(f.toArray(new String[0]));
    }

    /** The fields of one message; every field must end in NUL. */
    public static List<String> fields(byte[] message) throws ProtocolException {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < message.length; i++) {
            if (message[i] == 0) {
                out.add(new String(message, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start != message.length) {
            throw new ProtocolException("a message field is not NUL-terminated");
        }
        return out;
    }

    public static Request decodeRequest(byte[] message) throws ProtocolException {
        List<String> f = fields(message);
        Cursor c = new Cursor(f);
        if (!c.next().equals("request")) {
            throw new ProtocolException("expected a request");
        }
        String version = c.next();
        if (!version.equals(VERSION)) {
            throw new ProtocolException("protocol version " + version + ", this server speaks " + VERSION);
        }
        String build = c.next();
        String cwd = c.next();
        if (!cwd.startsWith("/")) {
            throw new ProtocolException("the working directory is not absolute");
        }
        List<String> argv = c.list();
        List<String> env = c.list();
        List<String> fds = c.list();
        int[] callerFds = new int[fds.size()];
        for (int i = 0; i < callerFds.length; i++) {
            callerFds[i] = c.number(fds.get(i));
        }
        if (c.more()) {
            throw new ProtocolException("trailing fields after the request");
        }
        return new Request(build, cwd, argv, env, callerFds);
    }

    private static final class Cursor {
        private final List<String> fields;
        private int at;

        Cursor(List<String> fields) {
            this.fields = fields;
        }

        String next() throws ProtocolException {
            if (at >= fields.size()) {
                throw new ProtocolException("the request ends early");
            }
            return fields.get(at++);
        }

        boolean more() {
            return at < fields.size();
        }

        int number(String s) throws ProtocolException {
            try {
                int n = Integer.parseInt(s);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ProtocolException("not a count or fd number: " + s);
            }
        }

        List<String> list() throws ProtocolException {
            int n = number(next());
            if (n > fields.size() - at) {
                throw new ProtocolException("a count exceeds the request");
            }
            List<String> out = new ArrayList<>(fields.subList(at, at + n));
            at += n;
            return out;
        }
    }

    public static byte[] accepted(boolean retry) {
        return encode("accepted", retry ? "1" : "0");
    }

    public static byte[] fallback(String reason) {
        return encode("fallback", reason);
    }

    public static byte[] exit(int status) {
        return encode("exit", String.valueOf(status));
    }

    /**
     * The call's end, asking the front end to start a successor outside the subreaper that
     * adopted this server when it can (see Adoption).
     */
    public static byte[] exitAndRehome(int status) {
        return encode("exit", String.valueOf(status), "rehome");
    }
}
