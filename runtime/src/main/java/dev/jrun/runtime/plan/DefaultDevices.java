package dev.jrun.runtime.plan;

import dev.jrun.spec.model.LinuxDevice;
import java.util.List;

/** The devices every container gets, as runc creates them. */
final class DefaultDevices {
    static final List<LinuxDevice> LIST = List.of(
            device("/dev/null", 1, 3),
            device("/dev/zero", 1, 5),
            device("/dev/full", 1, 7),
            device("/dev/random", 1, 8),
            device("/dev/urandom", 1, 9),
            device("/dev/tty", 5, 0));

    private DefaultDevices() {
    }

    private static LinuxDevice device(String path, long major, long minor) {
        return new LinuxDevice(path, "c", major, minor, 0666L, 0L, 0L);
    }

    /** S_IF* bits for an OCI device type: c and u are character devices, b block, p a FIFO. */
    static long typeBits(String type) {
        switch (type == null ? "" : type) {
            case "b": return 0060000;
            case "p": return 0010000;
            default: return 0020000;
        }
    }
}
