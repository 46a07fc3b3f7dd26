package dev.jrun.runtime.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrun.runtime.container.FakeSyscalls;
import dev.jrun.runtime.linux.NativeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Framing of the executor socket: whole messages from any split of the byte stream. */
class SyncSocketTest {
    @Test
    void messagesArriveWholeAndAHangUpIsEpipe() throws Exception {
        FakeSyscalls sys = new FakeSyscalls();
        sys.executorFd = sys.newFd();
        sys.childPid(4242).sync(Wire.SYNC_HOOKS);
        SyncSocket socket = new SyncSocket(sys, sys.executorFd);
        SyncSocket.Message pid = socket.receive();
        assertEquals(Wire.MSG_CHILD_PID, pid.type());
        assertEquals(4242, pid.buffer().getInt());
        SyncSocket.Message sync = socket.receive();
        assertEquals(Wire.MSG_SYNC, sync.type());
        assertEquals(Wire.SYNC_HOOKS, ByteBuffer.wrap(sync.payload()).order(ByteOrder.LITTLE_ENDIAN).getInt());
        NativeException e = assertThrows(NativeException.class, socket::receive);
        assertEquals(dev.jrun.runtime.linux.Errno.EPIPE, e.errno());
        socket.send(Wire.MSG_ACK, new byte[] {1, 2});
        assertEquals(java.util.List.of(Wire.MSG_ACK), sys.sentTypes);
    }
}
