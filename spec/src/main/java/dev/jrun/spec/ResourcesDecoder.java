package dev.jrun.spec;

import dev.jrun.spec.model.LinuxBlockIO;
import dev.jrun.spec.model.LinuxCPU;
import dev.jrun.spec.model.LinuxDeviceCgroup;
import dev.jrun.spec.model.LinuxHugepageLimit;
import dev.jrun.spec.model.LinuxInterfacePriority;
import dev.jrun.spec.model.LinuxMemory;
import dev.jrun.spec.model.LinuxNetwork;
import dev.jrun.spec.model.LinuxPids;
import dev.jrun.spec.model.LinuxRdma;
import dev.jrun.spec.model.LinuxResources;
import dev.jrun.spec.model.LinuxThrottleDevice;
import dev.jrun.spec.model.LinuxWeightDevice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code LinuxResources}: {@code linux.resources} in config.json and the standalone
 * document of {@code update -r}. Same conventions as {@link SpecDecoder}.
 */
final class ResourcesDecoder {
    private final JsonIn in;

    ResourcesDecoder(JsonIn in) {
        this.in = in;
    }

    LinuxResources resources() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        List<LinuxDeviceCgroup> devices = null;
        LinuxMemory memory = null;
        LinuxCPU cpu = null;
        LinuxPids pids = null;
        LinuxBlockIO blockIO = null;
        List<LinuxHugepageLimit> hugepageLimits = null;
        LinuxNetwork network = null;
        Map<String, LinuxRdma> rdma = null;
        Map<String, String> unified = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "devices" -> devices = devices();
                case "memory" -> memory = memory();
                case "cpu" -> cpu = cpu();
                case "pids" -> pids = pids();
                case "blockIO" -> blockIO = blockIO();
                case "hugepageLimits" -> hugepageLimits = hugepageLimits();
                case "network" -> network = network();
                case "rdma" -> rdma = rdma();
                case "unified" -> unified = in.stringMap();
                default -> in.skipValue();
            }
        }
        return new LinuxResources(devices, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    private List<LinuxDeviceCgroup> devices() throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<LinuxDeviceCgroup> list = new ArrayList<>();
        while (in.nextElement()) {
            LinuxDeviceCgroup d = device();
            list.add(d != null ? d : new LinuxDeviceCgroup(null, null, null, null, null));
        }
        return list;
    }

    private LinuxDeviceCgroup device() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Boolean allow = null;
        String type = null;
        Long major = null;
        Long minor = null;
        String access = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "allow" -> allow = in.bool();
                case "type" -> type = in.string();
                case "major" -> major = in.int64();
                case "minor" -> minor = in.int64();
                case "access" -> access = in.string();
                default -> in.skipValue();
            }
        }
        return new LinuxDeviceCgroup(allow, type, major, minor, access);
    }

    private LinuxMemory memory() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Long limit = null;
        Long reservation = null;
        Long swap = null;
        Long kernel = null;
        Long kernelTCP = null;
        Long swappiness = null;
        Boolean disableOOMKiller = null;
        Boolean useHierarchy = null;
        Boolean checkBeforeUpdate = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "limit" -> limit = in.int64();
                case "reservation" -> reservation = in.int64();
                case "swap" -> swap = in.int64();
                case "kernel" -> kernel = in.int64();
                case "kernelTCP" -> kernelTCP = in.int64();
                case "swappiness" -> swappiness = in.uint64();
                case "disableOOMKiller" -> disableOOMKiller = in.bool();
                case "useHierarchy" -> useHierarchy = in.bool();
                case "checkBeforeUpdate" -> checkBeforeUpdate = in.bool();
                default -> in.skipValue();
            }
        }
        return new LinuxMemory(limit, reservation, swap, kernel, kernelTCP, swappiness,
                disableOOMKiller, useHierarchy, checkBeforeUpdate);
    }

    private LinuxCPU cpu() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Long shares = null;
        Long quota = null;
        Long burst = null;
        Long period = null;
        Long realtimeRuntime = null;
        Long realtimePeriod = null;
        String cpus = null;
        String mems = null;
        Long idle = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "shares" -> shares = in.uint64();
                case "quota" -> quota = in.int64();
                case "burst" -> burst = in.uint64();
                case "period" -> period = in.uint64();
                case "realtimeRuntime" -> realtimeRuntime = in.int64();
                case "realtimePeriod" -> realtimePeriod = in.uint64();
                case "cpus" -> cpus = in.string();
                case "mems" -> mems = in.string();
                case "idle" -> idle = in.int64();
                default -> in.skipValue();
            }
        }
        return new LinuxCPU(shares, quota, burst, period, realtimeRuntime, realtimePeriod, cpus, mems, idle);
    }

    private LinuxPids pids() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Long limit = null;
        for (String f; (f = in.nextField()) != null; ) {
            if (f.equals("limit")) {
                limit = in.int64();
            } else {
                in.skipValue();
            }
        }
        return new LinuxPids(limit);
    }

    private LinuxBlockIO blockIO() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Integer weight = null;
        Integer leafWeight = null;
        List<LinuxWeightDevice> weightDevice = null;
        List<LinuxThrottleDevice> throttleReadBpsDevice = null;
        List<LinuxThrottleDevice> throttleWriteBpsDevice = null;
        List<LinuxThrottleDevice> throttleReadIOPSDevice = null;
        List<LinuxThrottleDevice> throttleWriteIOPSDevice = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "weight" -> weight = in.uint16();
                case "leafWeight" -> leafWeight = in.uint16();
                case "weightDevice" -> weightDevice = weightDevices();
                case "throttleReadBpsDevice" -> throttleReadBpsDevice = throttleDevices();
                case "throttleWriteBpsDevice" -> throttleWriteBpsDevice = throttleDevices();
                case "throttleReadIOPSDevice" -> throttleReadIOPSDevice = throttleDevices();
                case "throttleWriteIOPSDevice" -> throttleWriteIOPSDevice = throttleDevices();
                default -> in.skipValue();
            }
        }
        return new LinuxBlockIO(weight, leafWeight, weightDevice, throttleReadBpsDevice,
                throttleWriteBpsDevice, throttleReadIOPSDevice, throttleWriteIOPSDevice);
    }

    private List<LinuxWeightDevice> weightDevices() throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<LinuxWeightDevice> list = new ArrayList<>();
        while (in.nextElement()) {
            LinuxWeightDevice d = weightDevice();
            list.add(d != null ? d : new LinuxWeightDevice(null, null, null, null));
        }
        return list;
    }

    private LinuxWeightDevice weightDevice() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Long major = null;
        Long minor = null;
        Integer weight = null;
        Integer leafWeight = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "major" -> major = in.int64();
                case "minor" -> minor = in.int64();
                case "weight" -> weight = in.uint16();
                case "leafWeight" -> leafWeight = in.uint16();
                default -> in.skipValue();
            }
        }
        return new LinuxWeightDevice(major, minor, weight, leafWeight);
    }

    private List<LinuxThrottleDevice> throttleDevices() throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<LinuxThrottleDevice> list = new ArrayList<>();
        while (in.nextElement()) {
            LinuxThrottleDevice d = throttleDevice();
            list.add(d != null ? d : new LinuxThrottleDevice(null, null, null));
        }
        return list;
    }

    private LinuxThrottleDevice throttleDevice() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Long major = null;
        Long minor = null;
        Long rate = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "major" -> major = in.int64();
                case "minor" -> minor = in.int64();
                case "rate" -> rate = in.uint64();
                default -> in.skipValue();
            }
        }
        return new LinuxThrottleDevice(major, minor, rate);
    }

    private List<LinuxHugepageLimit> hugepageLimits() throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<LinuxHugepageLimit> list = new ArrayList<>();
        while (in.nextElement()) {
            LinuxHugepageLimit h = hugepageLimit();
            list.add(h != null ? h : new LinuxHugepageLimit(null, null));
        }
        return list;
    }

    private LinuxHugepageLimit hugepageLimit() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String pageSize = null;
        Long limit = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "pageSize" -> pageSize = in.string();
                case "limit" -> limit = in.uint64();
                default -> in.skipValue();
            }
        }
        return new LinuxHugepageLimit(pageSize, limit);
    }

    private LinuxNetwork network() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Long classID = null;
        List<LinuxInterfacePriority> priorities = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "classID" -> classID = in.uint32();
                case "priorities" -> priorities = priorities();
                default -> in.skipValue();
            }
        }
        return new LinuxNetwork(classID, priorities);
    }

    private List<LinuxInterfacePriority> priorities() throws IOException {
        if (!in.beginArray()) {
            return null;
        }
        List<LinuxInterfacePriority> list = new ArrayList<>();
        while (in.nextElement()) {
            LinuxInterfacePriority p = priority();
            list.add(p != null ? p : new LinuxInterfacePriority(null, null));
        }
        return list;
    }

    private LinuxInterfacePriority priority() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        String name = null;
        Long priority = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "name" -> name = in.string();
                case "priority" -> priority = in.uint32();
                default -> in.skipValue();
            }
        }
        return new LinuxInterfacePriority(name, priority);
    }

    private Map<String, LinuxRdma> rdma() throws IOException {
        if (!in.beginMap()) {
            return null;
        }
        Map<String, LinuxRdma> map = new LinkedHashMap<>();
        for (String key; (key = in.nextKey()) != null; ) {
            LinuxRdma r = rdmaEntry();
            map.put(key, r != null ? r : new LinuxRdma(null, null));
        }
        return map;
    }

    private LinuxRdma rdmaEntry() throws IOException {
        if (!in.beginObject()) {
            return null;
        }
        Long hcaHandles = null;
        Long hcaObjects = null;
        for (String f; (f = in.nextField()) != null; ) {
            switch (f) {
                case "hcaHandles" -> hcaHandles = in.uint32();
                case "hcaObjects" -> hcaObjects = in.uint32();
                default -> in.skipValue();
            }
        }
        return new LinuxRdma(hcaHandles, hcaObjects);
    }
}
