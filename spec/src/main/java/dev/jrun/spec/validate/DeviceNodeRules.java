package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.Checks.isAbsolute;
import static dev.jrun.spec.validate.Checks.isEmpty;
import static dev.jrun.spec.validate.Checks.oneOf;
import static dev.jrun.spec.validate.Checks.quote;
import static dev.jrun.spec.validate.JsonPath.field;
import static dev.jrun.spec.validate.JsonPath.index;

import dev.jrun.spec.model.LinuxDevice;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code linux.devices}: the device nodes to create. */
final class DeviceNodeRules {
    /** The kernel's dev_t holds a 12-bit major and a 20-bit minor. */
    private static final long MAX_MAJOR = (1L << 12) - 1;
    private static final long MAX_MINOR = (1L << 20) - 1;
    private static final String DEVICES = field(Json.Spec.linux, Json.Linux.devices);

    private final Findings f;

    DeviceNodeRules(Findings f) {
        this.f = f;
    }

    void check(List<LinuxDevice> devices) {
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < devices.size(); i++) {
            LinuxDevice d = devices.get(i);
            String at = index(DEVICES, i);
            if (isEmpty(d.path())) {
                f.error(field(at, Json.LinuxDevice.path), "must be set");
            } else if (!isAbsolute(d.path())) {
                f.error(field(at, Json.LinuxDevice.path), "must be an absolute path");
            } else if (!paths.add(d.path())) {
                f.error(field(at, Json.LinuxDevice.path), "duplicate device " + quote(d.path()));
            }
            String type = d.type();
            if (isEmpty(type)) {
                f.error(field(at, Json.LinuxDevice.type), "must be set");
            } else if (!oneOf(type, "c", "b", "u", "p")) {
                f.error(field(at, Json.LinuxDevice.type), "must be c, b, u or p, not " + quote(type));
            } else if (!type.equals("p")) {
                number(d.major(), MAX_MAJOR, type, field(at, Json.LinuxDevice.major));
                number(d.minor(), MAX_MINOR, type, field(at, Json.LinuxDevice.minor));
            }
            if (d.fileMode() != null && (d.fileMode() & ~07777L) != 0) {
                f.warn(field(at, Json.LinuxDevice.fileMode), "only the permission bits (07777) are used");
            }
        }
    }

    private void number(Long n, long max, String type, String at) {
        if (n == null) {
            f.error(at, "must be set for a device of type " + quote(type));
        } else if (n < 0 || n > max) {
            f.error(at, "must be between 0 and " + max);
        }
    }
}
