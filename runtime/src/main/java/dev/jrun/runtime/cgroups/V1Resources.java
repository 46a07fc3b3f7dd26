package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.CgroupValues.R;
import static dev.jrun.runtime.cgroups.CgroupValues.orZero;
import static dev.jrun.runtime.cgroups.CgroupValues.parse;
import static dev.jrun.runtime.cgroups.CgroupValues.unsigned;

import dev.jrun.spec.model.LinuxBlockIO;
import dev.jrun.spec.model.LinuxCPU;
import dev.jrun.spec.model.LinuxDeviceCgroup;
import dev.jrun.spec.model.LinuxInterfacePriority;
import dev.jrun.spec.model.LinuxMemory;
import dev.jrun.spec.model.LinuxNetwork;
import dev.jrun.spec.model.LinuxPids;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.LinuxThrottleDevice;
import dev.jrun.spec.model.LinuxWeightDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code linux.resources} as cgroup v1 file writes, the way runc's libcontainer/cgroups/fs
 * sets them (opencontainers/cgroups as vendored by runc 1.5): controllers in runc's order
 * (cpuset, devices, memory, cpu, pids, blkio, hugetlb, net_cls, net_prio, rdma), each write
 * one {@code write(2)}.
 *
 * <p>Some values must be written in an order that depends on what the cgroup holds now
 * (memory vs memory+swap, CFS quota vs period, RT runtime vs period) and some files exist only
 * on some kernels.  runc reads the cgroup or retries after EINVAL; a plan cannot retry, so
 * {@link #plan(LinuxResources, Current)} takes a view of the cgroup.  With
 * {@link Current#UNKNOWN} (what the pure {@link #plan(LinuxResources)} uses) the plan assumes
 * every file exists and uses orders that are valid whatever the current values are:
 *
 * <ul>
 *   <li>memory and swap both set: memsw.limit_in_bytes = -1, limit_in_bytes = limit, then
 *       memsw.limit_in_bytes = swap (the kernel wants limit &lt;= memsw at every step);
 *   <li>CFS quota set together with period or burst: cfs_quota_us = -1 first, then period,
 *       burst and finally the quota (a ratio that exceeds the parent's, or a burst above the
 *       old quota, is refused by the kernel while a quota is in force);
 *   <li>devices: a reset ("a *:* rwm" to devices.deny, or to devices.allow for an allow-all
 *       list), then every exception, as runc does from a cgroup whose list it cannot read.
 * </ul>
 *
 * With a real view the plan is runc's: it compares the new memory+swap limit with the current
 * memory limit, writes no device rule that is already in force (so an update does not cut a
 * running container off its devices for a moment), skips hugetlb .rsvd files, a -1 swap and a
 * 0 burst on kernels without them, and picks blkio.weight or blkio.bfq.weight.
 *
 * <p>Nothing is dropped silently: the deprecated kernel memory limits are written (the kernel
 * refuses them where they no longer exist; -1 only lifts a lower limit the cgroup holds), and the
 * {@code unified} map is refused, as runc refuses it on any host that is not cgroup v2 only.
 */
final class V1Resources {
    private V1Resources() {
    }

    /** What the planner may know about the cgroup it plans for. */
    interface Current {
        /** Whether the controller's directory has the file; a view that cannot tell says true. */
        default boolean exists(String controller, String file) {
            return true;
        }

        /** The file's content, trimmed, or null when unknown or unreadable. */
        default String read(String controller, String file) {
            return null;
        }

        /** Knows nothing: every file exists, no value is known. */
        Current UNKNOWN = new Current() {
        };

        /** The live cgroup: controller to directory, as {@link CgroupManager#paths()}. */
        static Current of(Map<String, String> paths) {
            return new Current() {
                private Path file(String controller, String file) {
                    String dir = paths.get(controller);
                    return dir == null ? null : Path.of(dir, file);
                }

                @Override
                public boolean exists(String controller, String file) {
                    Path p = file(controller, file);
                    // an unmounted controller: keep the write, so the error names it
                    return p == null || Files.exists(p);
                }

                @Override
                public String read(String controller, String file) {
                    Path p = file(controller, file);
                    try {
                        return p == null ? null : Files.readString(p).trim();
                    } catch (IOException e) {
                        return null;
                    }
                }
            };
        }
    }

    static List<CgroupWrite> plan(LinuxResources r) throws CgroupException {
        return plan(r, Current.UNKNOWN);
    }

    /**
     * The writes for {@code r} (null: only the default device rules, as runc), which must have
     * passed validation: its value ranges are not checked again here.
     */
    static List<CgroupWrite> plan(LinuxResources r, Current cur) throws CgroupException {
        List<CgroupWrite> out = new ArrayList<>();
        refuseUnified(r);
        if (r == null) {
            devices(null, cur, out);
            return out;
        }
        CgroupValues.cpuset(r.cpu(), "cpuset", out);
        devices(r.devices(), cur, out);
        memory(r.memory(), cur, out);
        cpu(r.cpu(), cur, out);
        pids(r.pids(), out);
        blkio(r.blockIO(), cur, out);
        CgroupValues.hugetlb(r.hugepageLimits(), "hugetlb", "limit_in_bytes", file -> cur.exists("hugetlb", file), out);
        network(r.network(), out);
        CgroupValues.rdma(r.rdma(), "rdma", out);
        return out;
    }

    /**
     * The {@code unified} map names cgroup v2 files, which a v1 or hybrid host cannot take; in
     * runc's words, which name the field.  An empty map asks for nothing, as runc reads it.
     */
    static void refuseUnified(LinuxResources r) throws CgroupException {
        if (r != null && r.unified() != null && !r.unified().isEmpty()) {
            throw new CgroupException("invalid configuration: cannot use unified on cgroup v1");
        }
    }

    private static void add(List<CgroupWrite> out, String controller, String file, String value, String reason) {
        out.add(new CgroupWrite(controller, file, value, reason));
    }

    // ------------------------------------------------------------------ devices

    private static void devices(List<LinuxDeviceCgroup> devices, Current cur, List<CgroupWrite> out)
            throws CgroupException {
        DeviceAllowList.Emulator target = DeviceAllowList.Emulator.of(DeviceAllowList.forContainer(devices));
        String list = cur.read("devices", "devices.list");
        // unknown: treat it like a fresh cgroup (allow-all), which always starts with a reset
        DeviceAllowList.Emulator now = list == null ? DeviceAllowList.Emulator.allowAll() : DeviceAllowList.Emulator.fromList(list);
        for (DeviceAllowList.Rule rule : now.transition(target)) {
            add(out, "devices", rule.allow() ? "devices.allow" : "devices.deny", rule.cgroupString(), DeviceAllowList.REASON);
        }
    }

    // ------------------------------------------------------------------ memory

    private static final String MEM_LIMIT = "memory.limit_in_bytes";
    private static final String MEMSW_LIMIT = "memory.memsw.limit_in_bytes";

    private static void memory(LinuxMemory m, Current cur, List<CgroupWrite> out) {
        if (m == null) {
            return;
        }
        long limit = orZero(m.limit());
        long swap = orZero(m.swap());
        long reservation = orZero(m.reservation());
        long kernel = orZero(m.kernel());
        long kernelTcp = orZero(m.kernelTCP());
        String limitReason = R + "memory.limit";
        String swapReason = R + "memory.swap";
        // unlimited memory with swap unset means unlimited memory+swap too, where swap is accounted
        if (limit == -1 && swap == 0 && cur.exists("memory", MEMSW_LIMIT)) {
            swap = -1;
            swapReason = limitReason;
        }
        if (limit != 0 && swap != 0) {
            Long current = parse(cur.read("memory", MEM_LIMIT));
            if (swap == -1) {
                add(out, "memory", MEMSW_LIMIT, "-1", swapReason);
                add(out, "memory", MEM_LIMIT, Long.toString(limit), limitReason);
            } else if (current != null) {
                // runc: raise memsw first when the new memsw is above the current memory limit
                if (Long.compareUnsigned(current, swap) < 0) {
                    add(out, "memory", MEMSW_LIMIT, Long.toString(swap), swapReason);
                    add(out, "memory", MEM_LIMIT, Long.toString(limit), limitReason);
                } else {
                    add(out, "memory", MEM_LIMIT, Long.toString(limit), limitReason);
                    add(out, "memory", MEMSW_LIMIT, Long.toString(swap), swapReason);
                }
            } else {
                add(out, "memory", MEMSW_LIMIT, "-1", swapReason);
                add(out, "memory", MEM_LIMIT, Long.toString(limit), limitReason);
                add(out, "memory", MEMSW_LIMIT, Long.toString(swap), swapReason);
            }
        } else {
            if (limit != 0) {
                add(out, "memory", MEM_LIMIT, Long.toString(limit), limitReason);
            }
            if (swap != 0) {
                add(out, "memory", MEMSW_LIMIT, Long.toString(swap), swapReason);
            }
        }
        kernelLimit(kernel, "memory.kmem.limit_in_bytes", R + "memory.kernel", cur, out);
        kernelLimit(kernelTcp, "memory.kmem.tcp.limit_in_bytes", R + "memory.kernelTCP", cur, out);
        if (reservation != 0) {
            add(out, "memory", "memory.soft_limit_in_bytes", Long.toString(reservation), R + "memory.reservation");
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            add(out, "memory", "memory.oom_control", "1", R + "memory.disableOOMKiller");
        }
        // Docker's "unset" (-1) arrives as 2^64-1, which is -1 here too
        if (m.swappiness() != null && m.swappiness() != -1) {
            add(out, "memory", "memory.swappiness", Long.toString(m.swappiness()), R + "memory.swappiness");
        }
        if (m.useHierarchy() != null) {
            add(out, "memory", "memory.use_hierarchy", m.useHierarchy() ? "1" : "0", R + "memory.useHierarchy");
        }
        // checkBeforeUpdate: the v1 kernel itself refuses a limit below the usage (EBUSY)
    }

    /**
     * The deprecated kernel memory limits, which runc ignores: a limit is written (Linux 5.16+
     * refuses it, which is the honest answer); -1 only when the cgroup is known to hold a
     * lower limit, since unlimited is what a new cgroup, and a kernel without the file, has.
     */
    private static void kernelLimit(long value, String file, String reason, Current cur, List<CgroupWrite> out) {
        if (value == 0) {
            return;
        }
        if (value == -1) {
            Long now = parse(cur.read("memory", file));
            if (now == null || now >= UNLIMITED_BYTES) {
                return;
            }
        }
        add(out, "memory", file, Long.toString(value), reason);
    }

    /** What a v1 memory file shows for "no limit" (PAGE_COUNTER_MAX pages), roughly. */
    private static final long UNLIMITED_BYTES = 1L << 62;

    // ------------------------------------------------------------------ cpu

    private static void cpu(LinuxCPU c, Current cur, List<CgroupWrite> out) throws CgroupException {
        if (c == null) {
            return;
        }
        long shares = orZero(c.shares());
        if (shares != 0) {
            add(out, "cpu", "cpu.shares", Long.toString(shares), R + "cpu.shares");
        }
        CgroupValues.CpuBandwidth bw = CgroupValues.cpuBandwidth(c, cur.exists("cpu", "cpu.cfs_burst_us") ? null
                : "this kernel has no cpu.cfs_burst_us (CPU burst needs Linux 5.14)");
        long quota = bw.quota();
        long period = bw.period();
        Long burst = bw.burst();
        String quotaReason = R + "cpu.quota";
        if (quota != 0 && (period != 0 || burst != null)) {
            // lift the quota while period and burst change, so no intermediate state is refused
            if (!"-1".equals(cur.read("cpu", "cpu.cfs_quota_us"))) {
                add(out, "cpu", "cpu.cfs_quota_us", "-1", quotaReason);
            }
            if (period != 0) {
                add(out, "cpu", "cpu.cfs_period_us", Long.toString(period), R + "cpu.period");
            }
            if (burst != null) {
                add(out, "cpu", "cpu.cfs_burst_us", Long.toString(burst), R + "cpu.burst");
            }
            if (quota != -1) {
                add(out, "cpu", "cpu.cfs_quota_us", Long.toString(quota), quotaReason);
            }
        } else {
            if (period != 0) {
                add(out, "cpu", "cpu.cfs_period_us", Long.toString(period), R + "cpu.period");
            }
            if (burst != null) {
                add(out, "cpu", "cpu.cfs_burst_us", Long.toString(burst), R + "cpu.burst");
            }
            if (quota != 0) {
                add(out, "cpu", "cpu.cfs_quota_us", Long.toString(quota), quotaReason);
            }
        }
        if (c.idle() != null) {
            add(out, "cpu", "cpu.idle", Long.toString(c.idle()), R + "cpu.idle");
        }
        realtime(c, cur, out);
    }

    private static void realtime(LinuxCPU c, Current cur, List<CgroupWrite> out) {
        long runtime = orZero(c.realtimeRuntime());
        long period = orZero(c.realtimePeriod());
        CgroupWrite p = period == 0 ? null
                : new CgroupWrite("cpu", "cpu.rt_period_us", Long.toString(period), R + "cpu.realtimePeriod");
        CgroupWrite rt = runtime == 0 ? null
                : new CgroupWrite("cpu", "cpu.rt_runtime_us", Long.toString(runtime), R + "cpu.realtimeRuntime");
        if (p != null && rt != null && runtimeFirst(runtime, period, parse(cur.read("cpu", "cpu.rt_runtime_us")),
                parse(cur.read("cpu", "cpu.rt_period_us")))) {
            out.add(rt);
            out.add(p);
            return;
        }
        if (p != null) {
            out.add(p);
        }
        if (rt != null) {
            out.add(rt);
        }
    }

    /**
     * runc writes the RT period first and, if the kernel refuses it, again after the runtime.
     * With the current values known, pick the order whose intermediate state (old runtime with
     * the new period, or new runtime with the old period) is valid and has no more bandwidth
     * than the old or the new state.  Unknown: period first (right for a new cgroup, whose
     * runtime is 0).
     */
    static boolean runtimeFirst(long runtime, long period, Long oldRuntime, Long oldPeriod) {
        if (oldRuntime == null || oldPeriod == null || oldPeriod <= 0) {
            return false;
        }
        double limit = Math.max(ratio(oldRuntime, oldPeriod), ratio(runtime, period));
        boolean periodFirstOk = ratio(oldRuntime, period) <= limit;
        boolean runtimeFirstOk = ratio(runtime, oldPeriod) <= limit;
        return !periodFirstOk && runtimeFirstOk;
    }

    private static double ratio(long runtime, long period) {
        if (runtime < 0 || runtime > period) {
            return Double.POSITIVE_INFINITY;
        }
        return (double) runtime / period;
    }

    // ------------------------------------------------------------------ pids

    private static void pids(LinuxPids p, List<CgroupWrite> out) {
        if (p == null || p.limit() == null) {
            return;
        }
        add(out, "pids", "pids.max", pidsMax(p.limit()), R + "pids.limit");
    }

    /**
     * runc (1.2+): a positive limit as is, 0 as 1 (systemd cannot express 0, and the init
     * process already counts), any negative value as "max".
     */
    static String pidsMax(long limit) {
        return limit > 0 ? Long.toString(limit) : limit == 0 ? "1" : "max";
    }

    // ------------------------------------------------------------------ blkio

    private static void blkio(LinuxBlockIO b, Current cur, List<CgroupWrite> out) {
        if (b == null) {
            return;
        }
        String at = R + "blockIO";
        // CFQ's files, or BFQ's where CFQ is gone (Linux 5.0+)
        boolean bfq = !cur.exists("blkio", "blkio.weight");
        String weightFile = bfq ? "blkio.bfq.weight" : "blkio.weight";
        String weightDeviceFile = bfq ? "blkio.bfq.weight_device" : "blkio.weight_device";
        if (b.weight() != null && b.weight() != 0) {
            add(out, "blkio", weightFile, Integer.toString(b.weight()), at + ".weight");
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            add(out, "blkio", "blkio.leaf_weight", Integer.toString(b.leafWeight()), at + ".leafWeight");
        }
        List<LinuxWeightDevice> wds = b.weightDevice() == null ? List.of() : b.weightDevice();
        for (int i = 0; i < wds.size(); i++) {
            LinuxWeightDevice wd = wds.get(i);
            String wat = at + ".weightDevice[" + i + "]";
            String dev = CgroupValues.device(wd.major(), wd.minor());
            if (wd.weight() != null && wd.weight() != 0) {
                add(out, "blkio", weightDeviceFile, dev + " " + wd.weight(), wat + ".weight");
            }
            if (wd.leafWeight() != null && wd.leafWeight() != 0) {
                add(out, "blkio", "blkio.leaf_weight_device", dev + " " + wd.leafWeight(), wat + ".leafWeight");
            }
        }
        throttle(b.throttleReadBpsDevice(), "blkio.throttle.read_bps_device", at + ".throttleReadBpsDevice", out);
        throttle(b.throttleWriteBpsDevice(), "blkio.throttle.write_bps_device", at + ".throttleWriteBpsDevice", out);
        throttle(b.throttleReadIOPSDevice(), "blkio.throttle.read_iops_device", at + ".throttleReadIOPSDevice", out);
        throttle(b.throttleWriteIOPSDevice(), "blkio.throttle.write_iops_device", at + ".throttleWriteIOPSDevice", out);
    }

    private static void throttle(List<LinuxThrottleDevice> list, String file, String at, List<CgroupWrite> out) {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            LinuxThrottleDevice td = list.get(i);
            String device = CgroupValues.device(td.major(), td.minor());
            add(out, "blkio", file, device + " " + unsigned(td.rate()), at + "[" + i + "]");
        }
    }

    // ------------------------------------------------------------------ net_cls, net_prio

    private static void network(LinuxNetwork n, List<CgroupWrite> out) {
        if (n == null) {
            return;
        }
        if (n.classID() != null && n.classID() != 0) {
            add(out, "net_cls", "net_cls.classid", Long.toString(n.classID()), R + "network.classID");
        }
        List<LinuxInterfacePriority> prios = n.priorities() == null ? List.of() : n.priorities();
        for (int i = 0; i < prios.size(); i++) {
            LinuxInterfacePriority p = prios.get(i);
            add(out, "net_prio", "net_prio.ifpriomap", p.name() + " " + p.priority(), R + "network.priorities[" + i + "]");
        }
    }
}
