package dev.jrun.spec.validate;

import static dev.jrun.spec.validate.Checks.isEmpty;
import static dev.jrun.spec.validate.Checks.oneOf;
import static dev.jrun.spec.validate.Checks.quote;
import static dev.jrun.spec.validate.JsonPath.field;
import static dev.jrun.spec.validate.JsonPath.index;
import static dev.jrun.spec.validate.JsonPath.key;

import dev.jrun.spec.linux.DeviceAccess;
import dev.jrun.spec.model.LinuxBlockIO;
import dev.jrun.spec.model.LinuxCPU;
import dev.jrun.spec.model.LinuxDeviceCgroup;
import dev.jrun.spec.model.LinuxHugepageLimit;
import dev.jrun.spec.model.LinuxInterfacePriority;
import dev.jrun.spec.model.LinuxMemory;
import dev.jrun.spec.model.LinuxNetwork;
import dev.jrun.spec.model.LinuxRdma;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.LinuxThrottleDevice;
import dev.jrun.spec.model.LinuxWeightDevice;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * cgroup limits, checked against the ranges the kernel accepts so that a bad value is reported
 * with its JSON path before anything is created, rather than as a write error halfway through.
 * For values where the spec gives no "unset" marker, 0 is treated as unset, as runc does.
 *
 * <p>These are all the checks of the values themselves: the cgroup drivers rely on them and only
 * convert and write, refusing what the host (v1 or v2, its kernel, its controllers) cannot do.
 */
final class ResourceRules {
    private static final long MAX_SHARES = 262_144;
    private static final long MIN_CFS_MICROS = 1_000;
    private static final long MAX_CFS_PERIOD_MICROS = 1_000_000;
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;
    /** The names of the hugetlb controller's files: 64KB, 2MB, 1GB. */
    private static final Pattern PAGE_SIZE = Pattern.compile("[1-9][0-9]{0,9}[KMG]B");

    private final Findings f;
    private final boolean update;

    /** @param update an {@code update} document, where an absent field keeps the current value */
    ResourceRules(Findings f, boolean update) {
        this.f = f;
        this.update = update;
    }

    void check(LinuxResources r, String at) {
        if (r.devices() != null) {
            devices(r.devices(), field(at, Json.LinuxResources.devices));
        }
        if (r.memory() != null) {
            memory(r.memory(), field(at, Json.LinuxResources.memory));
        }
        if (r.cpu() != null) {
            cpu(r.cpu(), field(at, Json.LinuxResources.cpu));
        }
        if (r.pids() != null && r.pids().limit() != null && r.pids().limit() < -1) {
            f.error(field(field(at, Json.LinuxResources.pids), Json.LinuxPids.limit),
                    "must be -1 (unlimited) or at least 0");
        }
        if (r.blockIO() != null) {
            blockIO(r.blockIO(), field(at, Json.LinuxResources.blockIO));
        }
        if (r.hugepageLimits() != null) {
            hugepages(r.hugepageLimits(), field(at, Json.LinuxResources.hugepageLimits));
        }
        if (r.network() != null) {
            network(r.network(), field(at, Json.LinuxResources.network));
        }
        if (r.rdma() != null) {
            rdma(r.rdma(), field(at, Json.LinuxResources.rdma));
        }
        if (r.unified() != null) {
            unified(r.unified(), field(at, Json.LinuxResources.unified));
        }
    }

    private void devices(List<LinuxDeviceCgroup> rules, String at) {
        for (int i = 0; i < rules.size(); i++) {
            LinuxDeviceCgroup d = rules.get(i);
            String here = index(at, i);
            if (d.type() != null && !oneOf(d.type(), "a", "b", "c")) {
                f.error(field(here, Json.LinuxDeviceCgroup.type), "must be a, b or c, not " + quote(d.type()));
            }
            // runc refuses an empty access string rather than guess what it means.
            String access = field(here, Json.LinuxDeviceCgroup.access);
            String problem = isEmpty(d.access()) ? null : DeviceAccess.problem(d.access());
            if (isEmpty(d.access())) {
                f.error(access, "must be set (letters from \"rwm\")");
            } else if (problem != null) {
                f.error(access, problem);
            } else if (DeviceAccess.parse(d.access()) == 0 && oneOf(d.type(), "b", "c")) {
                // "a" is no shorthand for all: a deny rule meant to cut a device off would not
                // (a rule of type a resets the list whatever its access)
                f.warn(access, quote(d.access()) + " names no access mode (r, w or m): the rule "
                        + (d.isAllow() ? "allows" : "denies") + " nothing");
            }
            wildcard(d.major(), field(here, Json.LinuxDeviceCgroup.major));
            wildcard(d.minor(), field(here, Json.LinuxDeviceCgroup.minor));
        }
    }

    private void wildcard(Long n, String at) {
        if (n != null && n < -1) {
            f.error(at, "must be -1 (any) or at least 0");
        } else if (n != null && n > MAX_UINT32) {
            f.error(at, "must be at most " + MAX_UINT32);
        }
    }

    private void memory(LinuxMemory m, String at) {
        bytes(m.limit(), field(at, Json.LinuxMemory.limit));
        bytes(m.reservation(), field(at, Json.LinuxMemory.reservation));
        bytes(m.swap(), field(at, Json.LinuxMemory.swap));
        bytes(m.kernel(), field(at, Json.LinuxMemory.kernel));
        bytes(m.kernelTCP(), field(at, Json.LinuxMemory.kernelTCP));
        if (m.kernel() != null) {
            f.warn(field(at, Json.LinuxMemory.kernel), "ignored: kernel memory limits are not supported");
        }
        if (m.kernelTCP() != null) {
            f.warn(field(at, Json.LinuxMemory.kernelTCP), "ignored: kernel memory limits are not supported");
        }
        // Docker sends -1 for "unset"; as a uint64 that is the largest value.
        Long swappiness = m.swappiness();
        if (swappiness != null && swappiness != -1L && (swappiness < 0 || swappiness > 100)) {
            f.error(field(at, Json.LinuxMemory.swappiness), "must be between 0 and 100");
        }
        long limit = m.limit() == null ? 0 : m.limit();
        long swap = m.swap() == null ? 0 : m.swap();
        if (swap > 0) {
            if (limit > 0 && swap < limit) {
                f.error(field(at, Json.LinuxMemory.swap),
                        "must not be below memory.limit: swap counts memory plus swap");
            } else if (limit == 0 && !update) {
                f.error(field(at, Json.LinuxMemory.swap), "needs memory.limit to be set too");
            }
        }
    }

    private void bytes(Long n, String at) {
        if (n != null && n < -1) {
            f.error(at, "must be -1 (unlimited) or at least 0");
        }
    }

    private void cpu(LinuxCPU c, String at) {
        Long shares = c.shares();
        if (shares != null && shares != 0 && (shares < 2 || shares > MAX_SHARES)) {
            f.error(field(at, Json.LinuxCPU.shares), "must be between 2 and " + MAX_SHARES);
        }
        Long quota = c.quota();
        if (quota != null && quota != 0 && quota != -1 && quota < MIN_CFS_MICROS) {
            f.error(field(at, Json.LinuxCPU.quota), "must be -1 (unlimited) or at least " + MIN_CFS_MICROS);
        }
        Long period = c.period();
        if (period != null && period != 0 && (period < MIN_CFS_MICROS || period > MAX_CFS_PERIOD_MICROS)) {
            f.error(field(at, Json.LinuxCPU.period),
                    "must be between " + MIN_CFS_MICROS + " and " + MAX_CFS_PERIOD_MICROS);
        }
        Long burst = c.burst();
        if (burst != null && burst < 0) {
            outOfInt64(burst, field(at, Json.LinuxCPU.burst));
        } else if (burst != null && quota != null && quota > 0 && burst > quota) {
            f.error(field(at, Json.LinuxCPU.burst), "must not exceed cpu.quota");
        }
        Long rtRuntime = c.realtimeRuntime();
        Long rtPeriod = c.realtimePeriod();
        if (rtRuntime != null && rtRuntime < -1) {
            f.error(field(at, Json.LinuxCPU.realtimeRuntime), "must be -1 (unlimited) or at least 0");
        }
        if (rtPeriod != null && rtPeriod < 0) {
            outOfInt64(rtPeriod, field(at, Json.LinuxCPU.realtimePeriod));
        } else if (rtRuntime != null && rtPeriod != null && rtPeriod > 0 && rtRuntime > rtPeriod) {
            f.error(field(at, Json.LinuxCPU.realtimeRuntime), "must not exceed cpu.realtimePeriod");
        }
        Checks.cpuList(f, c.cpus(), field(at, Json.LinuxCPU.cpus));
        Checks.cpuList(f, c.mems(), field(at, Json.LinuxCPU.mems));
        if (c.idle() != null && c.idle() != 0 && c.idle() != 1) {
            f.error(field(at, Json.LinuxCPU.idle), "must be 0 or 1");
        }
    }

    /**
     * A uint64 field from 2^63 on, which the model's long holds as a negative number and no
     * cgroup file takes; a -1 given for such a field arrives as 2^64-1.
     */
    private void outOfInt64(long n, String at) {
        f.error(at, Long.toUnsignedString(n) + " is out of range (at most " + Long.MAX_VALUE + ")");
    }

    private void blockIO(LinuxBlockIO b, String at) {
        weight(b.weight(), field(at, Json.LinuxBlockIO.weight));
        weight(b.leafWeight(), field(at, Json.LinuxBlockIO.leafWeight));
        if (b.weightDevice() != null) {
            for (int i = 0; i < b.weightDevice().size(); i++) {
                LinuxWeightDevice d = b.weightDevice().get(i);
                String here = index(field(at, Json.LinuxBlockIO.weightDevice), i);
                deviceNumbers(d.major(), d.minor(), here);
                if (d.weight() == null && d.leafWeight() == null) {
                    f.error(here, "must set weight, leafWeight or both");
                }
                weight(d.weight(), field(here, Json.LinuxWeightDevice.weight));
                weight(d.leafWeight(), field(here, Json.LinuxWeightDevice.leafWeight));
            }
        }
        throttle(b.throttleReadBpsDevice(), field(at, Json.LinuxBlockIO.throttleReadBpsDevice));
        throttle(b.throttleWriteBpsDevice(), field(at, Json.LinuxBlockIO.throttleWriteBpsDevice));
        throttle(b.throttleReadIOPSDevice(), field(at, Json.LinuxBlockIO.throttleReadIOPSDevice));
        throttle(b.throttleWriteIOPSDevice(), field(at, Json.LinuxBlockIO.throttleWriteIOPSDevice));
    }

    /** blkio.weight's range; runc maps it linearly onto cgroup v2's io.weight (1..10000). */
    private void weight(Integer w, String at) {
        if (w != null && w != 0 && (w < 10 || w > 1000)) {
            f.error(at, "must be between 10 and 1000");
        }
    }

    private void throttle(List<LinuxThrottleDevice> devices, String at) {
        if (devices != null) {
            for (int i = 0; i < devices.size(); i++) {
                LinuxThrottleDevice d = devices.get(i);
                deviceNumbers(d.major(), d.minor(), index(at, i));
                if (d.rate() == null) {
                    f.error(field(index(at, i), Json.LinuxThrottleDevice.rate), "must be set");
                }
            }
        }
    }

    private void deviceNumbers(Long major, Long minor, String at) {
        deviceNumber(major, field(at, Json.LinuxThrottleDevice.major));
        deviceNumber(minor, field(at, Json.LinuxThrottleDevice.minor));
    }

    private void deviceNumber(Long n, String at) {
        if (n == null) {
            f.error(at, "must be set");
        } else if (n < 0) {
            f.error(at, "must not be negative");
        } else if (n > MAX_UINT32) {
            f.error(at, "must be at most " + MAX_UINT32);
        }
    }

    private void hugepages(List<LinuxHugepageLimit> limits, String at) {
        for (int i = 0; i < limits.size(); i++) {
            String size = limits.get(i).pageSize();
            String here = field(index(at, i), Json.LinuxHugepageLimit.pageSize);
            // the size becomes part of a file name: hugetlb.<size>.limit_in_bytes
            if (isEmpty(size)) {
                f.error(here, "must be set");
            } else if (!PAGE_SIZE.matcher(size).matches()) {
                f.error(here, quote(size) + " is not a page size such as 64KB, 2MB or 1GB");
            }
            if (limits.get(i).limit() == null) {
                f.error(field(index(at, i), Json.LinuxHugepageLimit.limit), "must be set");
            }
        }
    }

    private void network(LinuxNetwork n, String at) {
        uint32(n.classID(), field(at, Json.LinuxNetwork.classID));
        if (n.priorities() != null) {
            for (int i = 0; i < n.priorities().size(); i++) {
                LinuxInterfacePriority p = n.priorities().get(i);
                String here = index(field(at, Json.LinuxNetwork.priorities), i);
                if (isEmpty(p.name())) {
                    f.error(field(here, Json.LinuxInterfacePriority.name), "must be set");
                } else if (!printable(p.name(), "")) {
                    f.error(field(here, Json.LinuxInterfacePriority.name), quote(p.name()) + " is not an interface name"
                            + " (no spaces or control characters)");
                }
                if (p.priority() == null) {
                    f.error(field(here, Json.LinuxInterfacePriority.priority), "must be set");
                } else {
                    uint32(p.priority(), field(here, Json.LinuxInterfacePriority.priority));
                }
            }
        }
    }

    private void rdma(Map<String, LinuxRdma> rdma, String at) {
        for (Map.Entry<String, LinuxRdma> e : rdma.entrySet()) {
            String here = key(at, e.getKey());
            // the name starts a line of rdma.max, whose fields are "name key=value ..."
            if (isEmpty(e.getKey()) || !printable(e.getKey(), "=")) {
                f.error(here, quote(e.getKey()) + " is not an RDMA device name"
                        + " (no spaces, control characters or \"=\")");
            }
            LinuxRdma limits = e.getValue();
            if (limits.hcaHandles() == null && limits.hcaObjects() == null) {
                f.error(here, "must set hcaHandles, hcaObjects or both");
            } else {
                uint32(limits.hcaHandles(), field(here, Json.LinuxRdma.hcaHandles));
                uint32(limits.hcaObjects(), field(here, Json.LinuxRdma.hcaObjects));
            }
        }
    }

    private void uint32(Long n, String at) {
        if (n != null && (n < 0 || n > MAX_UINT32)) {
            f.error(at, "must be between 0 and " + MAX_UINT32);
        }
    }

    /** Visible ASCII only, and none of {@code except}. */
    private static boolean printable(String s, String except) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || except.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private void unified(Map<String, String> unified, String at) {
        for (Map.Entry<String, String> e : unified.entrySet()) {
            String name = e.getKey();
            String here = key(at, name);
            int dot = name.indexOf('.');
            if (dot <= 0 || dot == name.length() - 1 || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
                f.error(here, "not a cgroup v2 file name (expected <controller>.<name>)");
            } else if (name.equals("cpu.weight")) {
                cpuWeight(e.getValue(), here);
            }
        }
    }

    private void cpuWeight(String value, String at) {
        String v = value.strip();
        long w;
        try {
            w = Long.parseLong(v);
        } catch (NumberFormatException e) {
            f.error(at, "must be a number between 1 and 10000");
            return;
        }
        if (w < 1 || w > 10_000) {
            f.error(at, "must be between 1 and 10000");
        }
    }
}
