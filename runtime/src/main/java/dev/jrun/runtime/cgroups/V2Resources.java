package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.CgroupValues.R;
import static dev.jrun.runtime.cgroups.CgroupValues.orZero;
import static dev.jrun.runtime.cgroups.CgroupValues.parse;
import static dev.jrun.runtime.cgroups.CgroupValues.unsigned;

import dev.jrun.runtime.linux.Bpf;
import dev.jrun.runtime.linux.NativeException;
import dev.jrun.spec.model.LinuxBlockIO;
import dev.jrun.spec.model.LinuxCPU;
import dev.jrun.spec.model.LinuxMemory;
import dev.jrun.spec.model.LinuxNetwork;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.LinuxThrottleDevice;
import dev.jrun.spec.model.LinuxWeightDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code linux.resources} on cgroup v2, the way runc's libcontainer/cgroups/fs2 sets it
 * (opencontainers/cgroups as vendored by runc 1.5): pids, memory, io, cpu, cpuset, hugetlb,
 * rdma, then the {@code unified} map, whose entries therefore win over the same files set from
 * the other fields.  Devices are not files here: {@link #applyDevices} loads an eBPF filter.
 *
 * <p>Settings that only exist on v1 (kernel memory, swappiness, disableOOMKiller, a
 * non-hierarchical memory cgroup, leaf weights, realtime CPU, net_cls/net_prio) are refused
 * with an error naming the field when they ask for something, where runc ignores them: the
 * runtime-spec lets a runtime convert a v1 setting and requires an error when it cannot.
 * Values that only restate the v2 behaviour (-1 kernel memory, Docker's "unset" swappiness,
 * disableOOMKiller false, useHierarchy true, realtime 0) are accepted.
 */
final class V2Resources {
    private V2Resources() {
    }

    /**
     * The controllers the cgroup's parent must enable in cgroup.subtree_control for
     * {@code r}: one per group of fields that is set, plus the prefix of every
     * {@code unified} key (other than the core "cgroup." files).
     */
    static Set<String> controllersFor(LinuxResources r) {
        return new LinkedHashSet<>(controllerReasons(r).keySet());
    }

    /**
     * {@link #controllersFor}, each with the first config field that needs it (for errors:
     * "linux.resources.unified[\"rdma.max\"] needs it").
     */
    static Map<String, String> controllerReasons(LinuxResources r) {
        Map<String, String> c = new LinkedHashMap<>();
        if (r == null) {
            return c;
        }
        LinuxCPU cpu = r.cpu();
        if (cpu != null) {
            if (orZero(cpu.shares()) != 0) {
                c.putIfAbsent("cpu", R + "cpu.shares");
            }
            if (orZero(cpu.quota()) != 0 || orZero(cpu.period()) != 0) {
                c.putIfAbsent("cpu", R + (orZero(cpu.quota()) != 0 ? "cpu.quota" : "cpu.period"));
            }
            if (cpu.burst() != null) {
                c.putIfAbsent("cpu", R + "cpu.burst");
            }
            if (cpu.idle() != null) {
                c.putIfAbsent("cpu", R + "cpu.idle");
            }
            if (cpu.cpus() != null && !cpu.cpus().isEmpty()) {
                c.putIfAbsent("cpuset", R + "cpu.cpus");
            }
            if (cpu.mems() != null && !cpu.mems().isEmpty()) {
                c.putIfAbsent("cpuset", R + "cpu.mems");
            }
        }
        LinuxMemory m = r.memory();
        if (m != null && (orZero(m.limit()) != 0 || orZero(m.reservation()) != 0 || orZero(m.swap()) != 0)) {
            c.put("memory", R + (orZero(m.limit()) != 0 ? "memory.limit"
                    : orZero(m.reservation()) != 0 ? "memory.reservation" : "memory.swap"));
        }
        LinuxBlockIO b = r.blockIO();
        if (b != null && (b.weight() != null && b.weight() != 0 || nonEmpty(b.weightDevice())
                || nonEmpty(b.throttleReadBpsDevice()) || nonEmpty(b.throttleWriteBpsDevice())
                || nonEmpty(b.throttleReadIOPSDevice()) || nonEmpty(b.throttleWriteIOPSDevice()))) {
            c.put("io", R + "blockIO");
        }
        if (r.pids() != null && r.pids().limit() != null) {
            c.put("pids", R + "pids.limit");
        }
        if (nonEmpty(r.hugepageLimits())) {
            c.put("hugetlb", R + "hugepageLimits");
        }
        if (r.rdma() != null && !r.rdma().isEmpty()) {
            c.put("rdma", R + "rdma");
        }
        if (r.unified() != null) {
            for (String key : r.unified().keySet()) {
                String controller = controllerOf(key);
                if (controller != null && !controller.equals("cgroup")) {
                    c.putIfAbsent(controller, R + "unified[\"" + key + "\"]");
                }
            }
        }
        return c;
    }

    private static boolean nonEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }

    /** "memory" for "memory.max"; null for a key that is not CONTROLLER.PARAMETER. */
    private static String controllerOf(String key) {
        if (key == null || key.contains("/")) {
            return null;
        }
        int dot = key.indexOf('.');
        return dot <= 0 ? null : key.substring(0, dot);
    }

    /**
     * The writes for {@code r} into the cgroup {@code dir}, which must exist: some choices
     * depend on the files it has (io.bfq.weight or io.weight, .rsvd hugetlb files, swap) and
     * on its current values (memory.current for checkBeforeUpdate, cpu.max.burst).  {@code r}
     * must have passed validation: its value ranges are not checked again here.
     */
    static List<CgroupWrite> plan(LinuxResources r, Path dir) throws CgroupException {
        List<CgroupWrite> out = new ArrayList<>();
        if (r == null) {
            return out;
        }
        pids(r, out);
        memory(r.memory(), dir, out);
        io(r.blockIO(), dir, out);
        cpu(r.cpu(), dir, out);
        CgroupValues.cpuset(r.cpu(), "", out);
        CgroupValues.hugetlb(r.hugepageLimits(), "", "max", file -> Files.exists(dir.resolve(file)), out);
        CgroupValues.rdma(r.rdma(), "", out);
        network(r.network());
        unified(r.unified(), dir, out);
        return out;
    }

    private static void add(List<CgroupWrite> out, String file, String value, String reason) {
        out.add(CgroupWrite.v2(file, value, reason));
    }

    private static String read(Path dir, String file) {
        try {
            return Files.readString(dir.resolve(file)).trim();
        } catch (IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ pids

    private static void pids(LinuxResources r, List<CgroupWrite> out) {
        if (r.pids() != null && r.pids().limit() != null) {
            add(out, "pids.max", V1Resources.pidsMax(r.pids().limit()), R + "pids.limit");
        }
    }

    // ------------------------------------------------------------------ memory

    /** "max" for -1, "" for 0 (unset), else the number: fs2's numToStr. */
    private static String numToStr(long v) {
        return v == -1 ? "max" : v == 0 ? "" : Long.toString(v);
    }

    private static void memory(LinuxMemory m, Path dir, List<CgroupWrite> out) throws CgroupException {
        if (m == null) {
            return;
        }
        long limit = orZero(m.limit());
        long swap = orZero(m.swap());
        long reservation = orZero(m.reservation());
        long kernel = orZero(m.kernel());
        long kernelTcp = orZero(m.kernelTCP());
        if (kernel > 0) {
            throw new CgroupException(R + "memory.kernel: cgroup v2 has no kernel memory limit (it is part of memory.max)");
        }
        if (kernelTcp > 0) {
            throw new CgroupException(R + "memory.kernelTCP: cgroup v2 has no kernel TCP memory limit (it is part of memory.max)");
        }
        if (m.swappiness() != null && m.swappiness() != -1) {
            throw new CgroupException(R + "memory.swappiness: cgroup v2 has no per-cgroup swappiness");
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            throw new CgroupException(R + "memory.disableOOMKiller: cgroup v2 cannot disable the OOM killer");
        }
        if (Boolean.FALSE.equals(m.useHierarchy())) {
            throw new CgroupException(R + "memory.useHierarchy: cgroup v2 memory accounting is always hierarchical");
        }
        if (limit == 0 && swap == 0 && reservation == 0) {
            return;
        }
        if (Boolean.TRUE.equals(m.checkBeforeUpdate()) && (limit > 0 || swap > 0)) {
            // best effort, as runc: a cgroup without memory.current (not created yet) passes
            Long usage = parse(read(dir, "memory.current"));
            if (usage != null) {
                if (swap > 0 && Long.compareUnsigned(swap, usage) <= 0) {
                    throw new CgroupException(R + "memory.swap: rejecting memory+swap limit " + swap + " <= usage " + usage);
                }
                if (limit > 0 && Long.compareUnsigned(limit, usage) <= 0) {
                    throw new CgroupException(R + "memory.limit: rejecting memory limit " + limit + " <= usage " + usage);
                }
            }
        }
        long swapV2 = CgroupValues.swapV2(swap, limit);
        String swapStr = numToStr(swapV2);
        if (swapV2 == 0 && swap > 0) {
            swapStr = "0"; // memory+swap equal to memory: no swap at all
        }
        if (!swapStr.isEmpty()) {
            // without swap accounting there is no memory.swap.max; "max" and "0" then hold anyway
            boolean vacuous = swapStr.equals("max") || swapStr.equals("0");
            if (Files.exists(dir.resolve("memory.swap.max")) || !vacuous) {
                add(out, "memory.swap.max", swapStr, R + (swap == 0 ? "memory.limit" : "memory.swap"));
            }
        }
        if (limit != 0) {
            add(out, "memory.max", numToStr(limit), R + "memory.limit");
        }
        if (reservation != 0) {
            add(out, "memory.low", numToStr(reservation), R + "memory.reservation");
        }
    }

    // ------------------------------------------------------------------ io

    private static void io(LinuxBlockIO b, Path dir, List<CgroupWrite> out) throws CgroupException {
        if (b == null) {
            return;
        }
        String at = R + "blockIO";
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            throw new CgroupException(at + ".leafWeight: cgroup v2 has no leaf weight");
        }
        List<LinuxWeightDevice> wds = b.weightDevice() == null ? List.of() : b.weightDevice();
        boolean weights = b.weight() != null && b.weight() != 0 || !wds.isEmpty();
        String bfqNow = weights ? read(dir, "io.bfq.weight") : null;
        boolean bfq = bfqNow != null;
        boolean ioWeight = weights && Files.exists(dir.resolve("io.weight"));
        if (b.weight() != null && b.weight() != 0) {
            if (bfq) {
                add(out, "io.bfq.weight", Integer.toString(b.weight()), at + ".weight");
            } else if (ioWeight) {
                add(out, "io.weight", Long.toString(CgroupValues.ioWeight(b.weight())), at + ".weight");
            } else {
                throw new CgroupException(at + ".weight: " + dir + " has neither io.bfq.weight nor io.weight"
                        + " (I/O weights need the BFQ scheduler or blk-iocost)");
            }
        }
        // io.bfq.weight takes per-device weights when it reads "default N" (Linux 5.4+)
        boolean bfqPerDevice = bfq && parse(bfqNow) == null;
        for (int i = 0; i < wds.size(); i++) {
            LinuxWeightDevice wd = wds.get(i);
            String wat = at + ".weightDevice[" + i + "]";
            String dev = CgroupValues.device(wd.major(), wd.minor());
            if (wd.leafWeight() != null && wd.leafWeight() != 0) {
                throw new CgroupException(wat + ".leafWeight: cgroup v2 has no leaf weight");
            }
            if (wd.weight() == null || wd.weight() == 0) {
                continue;
            }
            if (bfqPerDevice) {
                add(out, "io.bfq.weight", dev + " " + wd.weight(), wat + ".weight");
            } else if (ioWeight) {
                // runc drops these without BFQ; blk-iocost's io.weight takes the converted weight
                add(out, "io.weight", dev + " " + CgroupValues.ioWeight(wd.weight()), wat + ".weight");
            } else {
                throw new CgroupException(wat + ".weight: " + dir + " takes no per-device weight"
                        + " (it needs BFQ on Linux 5.4+ or blk-iocost)");
            }
        }
        // io.max: one line per device with every limit of it, in the order devices appear
        Map<String, StringBuilder> lines = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        throttle(b.throttleReadBpsDevice(), "rbps", at + ".throttleReadBpsDevice", lines, reasons);
        throttle(b.throttleWriteBpsDevice(), "wbps", at + ".throttleWriteBpsDevice", lines, reasons);
        throttle(b.throttleReadIOPSDevice(), "riops", at + ".throttleReadIOPSDevice", lines, reasons);
        throttle(b.throttleWriteIOPSDevice(), "wiops", at + ".throttleWriteIOPSDevice", lines, reasons);
        for (Map.Entry<String, StringBuilder> e : lines.entrySet()) {
            add(out, "io.max", e.getKey() + e.getValue(), reasons.get(e.getKey()));
        }
    }

    private static void throttle(List<LinuxThrottleDevice> list, String key, String at, Map<String, StringBuilder> lines,
            Map<String, String> reasons) {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            LinuxThrottleDevice td = list.get(i);
            String tat = at + "[" + i + "]";
            String dev = CgroupValues.device(td.major(), td.minor());
            // on v1 a rate of 0 removes the limit; io.max ignores 0, so say "max"
            String rate = td.rate() == 0 ? "max" : unsigned(td.rate());
            lines.computeIfAbsent(dev, d -> new StringBuilder()).append(' ').append(key).append('=').append(rate);
            reasons.merge(dev, tat, (a, b) -> a);
        }
    }

    // ------------------------------------------------------------------ cpu

    private static void cpu(LinuxCPU c, Path dir, List<CgroupWrite> out) throws CgroupException {
        if (c == null) {
            return;
        }
        if (orZero(c.realtimeRuntime()) != 0) {
            throw new CgroupException(R + "cpu.realtimeRuntime: cgroup v2 has no realtime CPU bandwidth");
        }
        if (orZero(c.realtimePeriod()) != 0) {
            throw new CgroupException(R + "cpu.realtimePeriod: cgroup v2 has no realtime CPU bandwidth");
        }
        if (c.idle() != null) {
            add(out, "cpu.idle", Long.toString(c.idle()), R + "cpu.idle");
        }
        long weight = CgroupValues.cpuWeight(orZero(c.shares()));
        if (weight != 0) {
            add(out, "cpu.weight", Long.toString(weight), R + "cpu.shares");
        }
        CgroupValues.CpuBandwidth bw = CgroupValues.cpuBandwidth(c, Files.exists(dir.resolve("cpu.max.burst")) ? null
                : dir + " has no cpu.max.burst (CPU burst needs Linux 5.14)");
        long quota = bw.quota();
        long period = bw.period();
        Long burst = bw.burst();
        CgroupWrite max = null;
        if (quota != 0 || period != 0) {
            String v = (quota > 0 ? Long.toString(quota) : "max") + " " + (period != 0 ? period : 100000);
            max = CgroupWrite.v2("cpu.max", v, R + (quota != 0 ? "cpu.quota" : "cpu.period"));
        }
        CgroupWrite b = burst == null ? null : CgroupWrite.v2("cpu.max.burst", Long.toString(burst), R + "cpu.burst");
        if (max != null && b != null) {
            // the kernel wants burst <= quota at every step: lower the burst first, raise it last
            Long now = parse(read(dir, "cpu.max.burst"));
            if (now != null && burst <= now) {
                out.add(b);
                out.add(max);
            } else {
                out.add(max);
                out.add(b);
            }
        } else if (b != null) {
            out.add(b);
        } else if (max != null) {
            out.add(max);
        }
    }

    // ------------------------------------------------------------------ network

    private static void network(LinuxNetwork n) throws CgroupException {
        if (n == null) {
            return;
        }
        if (n.classID() != null && n.classID() != 0) {
            throw new CgroupException(R + "network.classID: cgroup v2 has no net_cls controller");
        }
        if (n.priorities() != null && !n.priorities().isEmpty()) {
            throw new CgroupException(R + "network.priorities: cgroup v2 has no net_prio controller");
        }
    }

    // ------------------------------------------------------------------ unified

    /**
     * The runtime-spec's rules for what the host must have (validation has made every key a
     * file name, "CONTROLLER.PARAMETER"): the controller must be available to the cgroup
     * (listed in its cgroup.controllers; the core "cgroup." files need none), and the file must
     * exist.  A value of several lines is written one line per write, as runc does.
     */
    private static void unified(Map<String, String> unified, Path dir, List<CgroupWrite> out) throws CgroupException {
        if (unified == null || unified.isEmpty()) {
            return;
        }
        Set<String> available = null;
        for (Map.Entry<String, String> e : unified.entrySet()) {
            String key = e.getKey();
            String at = R + "unified[\"" + key + "\"]";
            String controller = controllerOf(key);
            if (controller != null && !controller.equals("cgroup")) {
                if (available == null) {
                    String list = read(dir, "cgroup.controllers");
                    if (list == null) {
                        throw new CgroupException(at + ": cannot read " + dir.resolve("cgroup.controllers"));
                    }
                    available = new LinkedHashSet<>(List.of(list.trim().split("\\s+")));
                }
                if (!available.contains(controller)) {
                    throw new CgroupException(at + ": cgroup controller " + controller + " is not available in " + dir
                            + " (available: " + String.join(" ", available).trim() + ")");
                }
            }
            if (!Files.exists(dir.resolve(key))) {
                throw new CgroupException(at + ": " + dir.resolve(key) + " does not exist");
            }
            String value = e.getValue();
            if (value.indexOf('\n') < 0) {
                add(out, key, value, at);
            } else {
                for (String line : value.split("\n")) {
                    if (!line.isEmpty()) {
                        add(out, key, line, at);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ devices

    /**
     * Loads the device filter for {@code r}'s rules plus runc's default ones into the cgroup,
     * replacing the programs attached before (attach first, then detach the old ones, so the
     * cgroup is never without a filter).  In a user namespace, where bpf(2) is not allowed,
     * a failure is ignored, as runc ignores it.
     */
    static void applyDevices(LinuxResources r, Path dir) throws CgroupException {
        byte[] program = DeviceFilter.generate(DeviceAllowList.forContainer(r == null ? null : r.devices()));
        try {
            loader.replace(program, DeviceFilter.LICENSE, dir.toString());
        } catch (NativeException e) {
            if (inUserNamespace()) {
                return;
            }
            throw new CgroupException("load the device filter into " + dir + ": " + e.getMessage(), e);
        } catch (LinkageError e) {
            throw new CgroupException("load the device filter into " + dir + ": native calls unavailable: " + e, e);
        }
    }

    /** Puts a device program into a cgroup; tests swap in a fake (bpf(2) needs root and a real cgroup). */
    interface ProgramLoader {
        void replace(byte[] insns, String license, String cgroupDir) throws NativeException;
    }

    /** A lambda, not a method reference, so jnr-ffi loads only when a filter really is loaded. */
    static volatile ProgramLoader loader = (insns, license, dir) -> Bpf.replaceCgroupDeviceProgram(insns, license, dir);

    /** As runc's userns.RunningInUserNS: any uid map other than the initial namespace's. */
    static boolean inUserNamespace() {
        try {
            String map = Files.readString(Path.of("/proc/self/uid_map")).trim();
            String[] f = map.split("\\s+");
            return !(f.length == 3 && f[0].equals("0") && f[1].equals("0") && f[2].equals("4294967295"));
        } catch (IOException e) {
            return false;
        }
    }
}
