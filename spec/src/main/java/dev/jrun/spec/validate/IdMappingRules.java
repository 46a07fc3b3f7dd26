package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.JsonPath.field;
import static dev.jrun.spec.validate.JsonPath.index;

import dev.jrun.spec.model.LinuxIDMapping;
import java.util.List;

/**
 * uid/gid mapping lists, of the user namespace or of an id-mapped mount: the kernel refuses
 * empty ranges, ranges past 2^32, overlapping ranges on either side, and more than 340 lines.
 */
final class IdMappingRules {
    private static final int MAX_LINES = 340;
    private static final long ID_SPACE = 1L << 32;

    private final Findings f;

    IdMappingRules(Findings f) {
        this.f = f;
    }

    void check(List<LinuxIDMapping> mappings, String at) {
        if (mappings.size() > MAX_LINES) {
            f.error(at, "at most " + MAX_LINES + " mappings are allowed, got " + mappings.size());
        }
        for (int i = 0; i < mappings.size(); i++) {
            LinuxIDMapping m = mappings.get(i);
            String here = index(at, i);
            long size = orZero(m.size());
            if (size == 0) {
                f.error(field(here, Json.LinuxIDMapping.size), "must be greater than 0");
                continue;
            }
            if (orZero(m.containerID()) + size > ID_SPACE || orZero(m.hostID()) + size > ID_SPACE) {
                f.error(here, "the range goes past the largest id 4294967295");
                continue;
            }
            for (int j = 0; j < i; j++) {
                LinuxIDMapping earlier = mappings.get(j);
                if (orZero(earlier.size()) == 0) {
                    continue;
                }
                if (overlap(m.containerID(), size, earlier.containerID(), earlier.size())) {
                    f.error(here, "container ids overlap " + index(at, j));
                }
                if (overlap(m.hostID(), size, earlier.hostID(), earlier.size())) {
                    f.error(here, "host ids overlap " + index(at, j));
                }
            }
        }
    }

    private static boolean overlap(Long start1, long size1, Long start2, Long size2) {
        long a = orZero(start1);
        long b = orZero(start2);
        return a < b + orZero(size2) && b < a + size1;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
