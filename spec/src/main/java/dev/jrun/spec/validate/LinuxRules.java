package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.Checks.isAbsolute;
import static dev.jrun.spec.validate.Checks.isEmpty;
import static dev.jrun.spec.validate.Checks.oneOf;
import static dev.jrun.spec.validate.Checks.quote;
import static dev.jrun.spec.validate.JsonPath.field;
import static dev.jrun.spec.validate.JsonPath.index;
import static dev.jrun.spec.validate.JsonPath.key;

import dev.jrun.spec.linux.CpuList;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.LinuxIntelRdt;
import dev.jrun.spec.model.LinuxMemoryPolicy;
import dev.jrun.spec.model.LinuxNetDevice;
import dev.jrun.spec.model.LinuxPersonality;
import java.util.List;
import java.util.Map;

/**
 * The remaining {@code linux} fields, each a small independent check: rootfs propagation, masked
 * and read-only paths, personality, memory policy, Intel RDT and network device names.
 */
final class LinuxRules {
    /** runc also accepts the recursive forms, which the schema does not list. */
    static final String[] PROPAGATIONS = {
        "shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable",
    };
    static final String[] MEMORY_POLICY_MODES = {
        "MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED",
        "MPOL_PREFERRED_MANY", "MPOL_LOCAL",
    };
    static final String[] MEMORY_POLICY_FLAGS = {
        "MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES",
    };
    /** IFNAMSIZ less the terminating NUL. */
    private static final int MAX_IFNAME = 15;
    private static final String LINUX = Json.Spec.linux;

    private final Findings f;

    LinuxRules(Findings f) {
        this.f = f;
    }

    void check(Linux l) {
        if (!isEmpty(l.rootfsPropagation()) && !oneOf(l.rootfsPropagation(), PROPAGATIONS)) {
            f.error(field(LINUX, Json.Linux.rootfsPropagation), "unknown propagation " + quote(l.rootfsPropagation())
                    + " (expected shared, slave, private or unbindable, optionally with an \"r\" prefix)");
        }
        absolutePaths(l.maskedPaths(), field(LINUX, Json.Linux.maskedPaths));
        absolutePaths(l.readonlyPaths(), field(LINUX, Json.Linux.readonlyPaths));
        if (l.personality() != null) {
            personality(l.personality());
        }
        if (l.memoryPolicy() != null) {
            memoryPolicy(l.memoryPolicy());
        }
        if (l.intelRdt() != null) {
            intelRdt(l.intelRdt());
        }
        if (l.netDevices() != null) {
            netDevices(l.netDevices());
        }
    }

    private void absolutePaths(List<String> paths, String at) {
        if (paths != null) {
            for (int i = 0; i < paths.size(); i++) {
                if (!isAbsolute(paths.get(i))) {
                    f.error(index(at, i), "must be an absolute path");
                }
            }
        }
    }

    private void personality(LinuxPersonality p) {
        String at = field(LINUX, Json.Linux.personality);
        if (isEmpty(p.domain())) {
            f.error(field(at, Json.LinuxPersonality.domain), "must be set");
        } else if (!oneOf(p.domain(), "LINUX", "LINUX32")) {
            f.error(field(at, Json.LinuxPersonality.domain),
                    "unknown domain " + quote(p.domain()) + " (expected LINUX or LINUX32)");
        }
        if (!isEmpty(p.flags())) {
            f.warn(field(at, Json.LinuxPersonality.flags), "ignored: no personality flags are defined");
        }
    }

    /** set_mempolicy(2): each mode takes either no nodes or at least one. */
    private void memoryPolicy(LinuxMemoryPolicy mp) {
        String at = field(LINUX, Json.Linux.memoryPolicy);
        String mode = mp.mode();
        if (isEmpty(mode)) {
            f.error(field(at, Json.LinuxMemoryPolicy.mode), "must be set");
        } else if (!oneOf(mode, MEMORY_POLICY_MODES)) {
            f.error(field(at, Json.LinuxMemoryPolicy.mode), "unknown mode " + quote(mode));
        }
        int nodes = 0;
        if (!isEmpty(mp.nodes())) {
            String problem = CpuList.problem(mp.nodes());
            if (problem != null) {
                f.error(field(at, Json.LinuxMemoryPolicy.nodes), problem);
                nodes = -1;
            } else {
                nodes = CpuList.parse(mp.nodes()).cardinality();
            }
        }
        if (nodes > 0 && oneOf(mode, "MPOL_DEFAULT", "MPOL_LOCAL")) {
            f.error(field(at, Json.LinuxMemoryPolicy.nodes), mode + " takes no nodes");
        } else if (nodes == 0 && oneOf(mode, "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_PREFERRED_MANY",
                "MPOL_WEIGHTED_INTERLEAVE")) {
            f.error(field(at, Json.LinuxMemoryPolicy.nodes), mode + " needs at least one node");
        }
        List<String> flags = mp.flags();
        if (flags != null) {
            for (int i = 0; i < flags.size(); i++) {
                if (!oneOf(flags.get(i), MEMORY_POLICY_FLAGS)) {
                    f.error(index(field(at, Json.LinuxMemoryPolicy.flags), i), "unknown flag " + quote(flags.get(i)));
                }
            }
            if (flags.contains("MPOL_F_STATIC_NODES") && flags.contains("MPOL_F_RELATIVE_NODES")) {
                f.error(field(at, Json.LinuxMemoryPolicy.flags),
                        "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
            }
        }
    }

    private void intelRdt(LinuxIntelRdt rdt) {
        String at = field(LINUX, Json.Linux.intelRdt);
        String clos = rdt.closID();
        // closID names a directory of the resctrl filesystem; "/" alone means its root.
        if (clos != null && (clos.equals(".") || clos.equals("..") || (clos.length() > 1 && clos.contains("/")))) {
            f.error(field(at, Json.LinuxIntelRdt.closID), "invalid class of service " + quote(clos));
        }
        String l3 = rdt.l3CacheSchema();
        if (!isEmpty(l3)) {
            if (!l3.startsWith("L3:")) {
                f.warn(field(at, Json.LinuxIntelRdt.l3CacheSchema), "should start with \"L3:\"");
            }
            if (l3.indexOf('\n') >= 0) {
                f.warn(field(at, Json.LinuxIntelRdt.l3CacheSchema), "should not contain a newline");
            }
        }
        String mb = rdt.memBwSchema();
        if (!isEmpty(mb)) {
            if (!mb.startsWith("MB:")) {
                f.error(field(at, Json.LinuxIntelRdt.memBwSchema), "must start with \"MB:\"");
            }
            if (mb.indexOf('\n') >= 0) {
                f.error(field(at, Json.LinuxIntelRdt.memBwSchema), "must not contain a newline");
            }
        }
        if (rdt.schemata() != null) {
            for (int i = 0; i < rdt.schemata().size(); i++) {
                if (rdt.schemata().get(i).indexOf('\n') >= 0) {
                    f.error(index(field(at, Json.LinuxIntelRdt.schemata), i), "must not contain a newline");
                }
            }
        }
    }

    private void netDevices(Map<String, LinuxNetDevice> devices) {
        for (Map.Entry<String, LinuxNetDevice> e : devices.entrySet()) {
            String at = key(field(LINUX, Json.Linux.netDevices), e.getKey());
            if (!isInterfaceName(e.getKey())) {
                f.error(at, "invalid network device name");
            }
            String rename = e.getValue().name();
            if (!isEmpty(rename) && !isInterfaceName(rename)) {
                f.error(field(at, Json.LinuxNetDevice.name), "invalid network device name " + quote(rename));
            }
        }
    }

    /** The kernel's dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or whitespace. */
    private static boolean isInterfaceName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return false;
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_IFNAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }
}
