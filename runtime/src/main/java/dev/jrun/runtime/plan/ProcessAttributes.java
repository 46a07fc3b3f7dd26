package dev.jrun.runtime.plan;

import dev.jrun.spec.model.LinuxIOPriority;
import dev.jrun.spec.model.LinuxMemoryPolicy;
import dev.jrun.spec.model.LinuxPersonality;
import dev.jrun.spec.model.Scheduler;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kernel encodings of the scheduler, I/O priority and personality settings. */
public final class ProcessAttributes {
    private ProcessAttributes() {
    }

    record Sched(long policy, long flags, long nice, long priority, long runtime, long deadline, long period) {
    }

    static Sched sched(Scheduler s) throws PlanException {
        long policy;
        switch (s.policy() == null ? "" : s.policy()) {
            case "SCHED_OTHER": policy = 0; break;
            case "SCHED_FIFO": policy = 1; break;
            case "SCHED_RR": policy = 2; break;
            case "SCHED_BATCH": policy = 3; break;
            case "SCHED_ISO": policy = 4; break;
            case "SCHED_IDLE": policy = 5; break;
            case "SCHED_DEADLINE": policy = 6; break;
            default: throw new PlanException("process.scheduler.policy: unknown policy " + s.policy());
        }
        long flags = 0;
        for (String f : s.flags() == null ? List.<String>of() : s.flags()) {
            switch (f) {
                case "SCHED_FLAG_RESET_ON_FORK": flags |= 0x01; break;
                case "SCHED_FLAG_RECLAIM": flags |= 0x02; break;
                case "SCHED_FLAG_DL_OVERRUN": flags |= 0x04; break;
                case "SCHED_FLAG_KEEP_POLICY": flags |= 0x08; break;
                case "SCHED_FLAG_KEEP_PARAMS": flags |= 0x10; break;
                case "SCHED_FLAG_UTIL_CLAMP_MIN": flags |= 0x20; break;
                case "SCHED_FLAG_UTIL_CLAMP_MAX": flags |= 0x40; break;
                default: throw new PlanException("process.scheduler.flags: unknown flag " + f);
            }
        }
        return new Sched(policy, flags, s.nice() == null ? 0 : s.nice(), s.priority() == null ? 0 : s.priority(),
                s.runtime() == null ? 0 : s.runtime(), s.deadline() == null ? 0 : s.deadline(),
                s.period() == null ? 0 : s.period());
    }

    static long ioprio(LinuxIOPriority p) throws PlanException {
        long cls;
        switch (p.ioClass() == null ? "" : p.ioClass()) {
            case "IOPRIO_CLASS_RT": cls = 1; break;
            case "IOPRIO_CLASS_BE": cls = 2; break;
            case "IOPRIO_CLASS_IDLE": cls = 3; break;
            default: throw new PlanException("process.ioPriority.class: unknown class " + p.ioClass());
        }
        return cls << 13 | (p.priority() == null ? 0 : p.priority());
    }

    record MemPolicy(long modeAndFlags, byte[] nodes) {
    }

    /** set_mempolicy(2) modes and flags by their spec names; the features document lists these keys. */
    public static final Map<String, Long> MEMPOLICY_MODES = modes();
    public static final Map<String, Long> MEMPOLICY_FLAGS = flags();

    private static Map<String, Long> modes() {
        String[] names = {"MPOL_DEFAULT", "MPOL_PREFERRED", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_LOCAL",
            "MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE"};
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], (long) i); // the kernel numbers them in this order
        }
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, Long> flags() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("MPOL_F_NUMA_BALANCING", 1L << 13);
        m.put("MPOL_F_RELATIVE_NODES", 1L << 14);
        m.put("MPOL_F_STATIC_NODES", 1L << 15);
        return Collections.unmodifiableMap(m);
    }

    static MemPolicy memoryPolicy(LinuxMemoryPolicy p) throws PlanException {
        Long mode = MEMPOLICY_MODES.get(p.mode() == null ? "" : p.mode());
        if (mode == null) {
            throw new PlanException("linux.memoryPolicy.mode: unknown mode " + p.mode());
        }
        for (String f : p.flags() == null ? List.<String>of() : p.flags()) {
            Long flag = MEMPOLICY_FLAGS.get(f);
            if (flag == null) {
                throw new PlanException("linux.memoryPolicy.flags: unknown flag " + f);
            }
            mode |= flag;
        }
        byte[] nodes = new byte[0];
        if (p.nodes() != null && !p.nodes().isEmpty()) {
            java.util.BitSet set;
            try {
                set = dev.jrun.spec.linux.CpuList.parse(p.nodes());
            } catch (IllegalArgumentException e) {
                throw new PlanException("linux.memoryPolicy.nodes: " + e.getMessage());
            }
            // the kernel reads the mask in unsigned longs
            byte[] bits = set.toByteArray();
            nodes = new byte[(bits.length + 7) / 8 * 8];
            System.arraycopy(bits, 0, nodes, 0, bits.length);
        }
        return new MemPolicy(mode, nodes);
    }

    static long personality(LinuxPersonality p) throws PlanException {
        switch (p.domain() == null ? "" : p.domain()) {
            case "LINUX": return 0x0000;
            case "LINUX32": return 0x0008;
            default: throw new PlanException("linux.personality.domain: unknown domain " + p.domain());
        }
    }
}
