package dev.jrun.runtime.process;

import dev.jrun.runtime.linux.Errno;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.runtime.linux.Syscalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Our end of the socket to jrun-init: framed messages, with fds riding on a header. */
public final class SyncSocket implements AutoCloseable {
    /** One message; {@code fd} is -1 unless one was passed with it. */
    public record Message(int type, byte[] payload, int fd) {
        public ByteBuffer buffer() {
            return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private final Syscalls sys;
    private final int fd;

    public SyncSocket(Syscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
    }

    public void send(int type, byte[] payload) throws NativeException {
        byte[] frame = new byte[8 + payload.length];
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(payload.length).put(payload);
        sys.writeAll(fd, frame, 0, frame.length);
    }

    /** Blocks for the next message; EPIPE when the executor is gone. */
    public Message receive() throws NativeException {
        byte[] header = new byte[8];
        int got = 0;
        int passed = -1;
        while (got < 8) {
            Syscalls.Received r = sys.receive(fd, header, got, 8 - got);
            if (r.bytes() == 0) {
                throw new NativeException("read from jrun-init", Errno.EPIPE);
            }
            if (r.fd() >= 0) {
                passed = r.fd();
            }
            got += r.bytes();
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int type = h.getInt();
        int len = h.getInt();
        byte[] payload = new byte[len];
        int off = 0;
        while (off < len) {
            int n = sys.read(fd, payload, off, len - off);
            if (n == 0) {
                throw new NativeException("read from jrun-init", Errno.EPIPE);
            }
            off += n;
        }
        return new Message(type, payload, passed);
    }

    @Override
    public void close() {
        sys.close(fd);
    }
}
