package dev.jrun.runtime.container;

import dev.jrun.runtime.linux.NativeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mounts a container without a mount namespace of its own makes in its caller's: runc
 * leaves them on the host after delete; jrun records them (by mount id) and removes them.
 * Mounts that were under the rootfs before create (a manager's overlay rootfs) are never
 * touched.
 */
final class HostMounts {
    private HostMounts() {
    }

    /** The mounts under rootfs that were not there before. */
    static Map<String, String> madeSince(Host host, Path rootfs, Map<String, String> before) throws IOException {
        Map<String, String> made = new LinkedHashMap<>(host.mountsUnder(rootfs));
        made.keySet().removeAll(before.keySet());
        return made;
    }

    /** Detaches them, deepest first, each only if the same mount is still at its mount point. */
    static void detach(Host host, Map<String, String> mounts) throws NativeException {
        List<Map.Entry<String, String>> order = new ArrayList<>(mounts.entrySet());
        order.sort((a, b) -> Integer.compare(b.getValue().length(), a.getValue().length()));
        for (Map.Entry<String, String> m : order) {
            host.detachMount(m.getKey(), m.getValue());
        }
    }
}
