package dev.jrun.runtime.plan;

import java.util.BitSet;

/** Linux CPU lists ("0-3,7") as the cpu_set_t bytes sched_setaffinity takes. */
final class CpuList {
    /** cpu_set_t is 1024 bits in glibc. */
    static final int MAX_CPUS = 1024;

    private CpuList() {
    }

    static byte[] mask(String list) throws PlanException {
        BitSet cpus;
        try {
            cpus = dev.jrun.spec.linux.CpuList.parse(list);
        } catch (IllegalArgumentException e) {
            throw new PlanException("process.execCPUAffinity: " + e.getMessage());
        }
        if (cpus.length() > MAX_CPUS) {
            throw new PlanException("process.execCPUAffinity: CPU " + (cpus.length() - 1) + " is beyond " + (MAX_CPUS - 1));
        }
        byte[] mask = new byte[MAX_CPUS / 8];
        byte[] bits = cpus.toByteArray();
        System.arraycopy(bits, 0, mask, 0, bits.length);
        return mask;
    }
}
