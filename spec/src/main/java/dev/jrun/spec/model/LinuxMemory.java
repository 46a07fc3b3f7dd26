package dev.jrun.spec.model;

/**
 * Memory controller settings. Byte values are int64 with -1 meaning unlimited.
 *
 * @param kernel deprecated: kernel memory limits no longer exist in cgroup v2 or recent kernels
 * @param swappiness uint64, unsigned; 0..100 (Docker's "unset" -1 arrives as 2^64-1)
 */
public record LinuxMemory(
        Long limit,
        Long reservation,
        Long swap,
        Long kernel,
        Long kernelTCP,
        Long swappiness,
        Boolean disableOOMKiller,
        Boolean useHierarchy,
        Boolean checkBeforeUpdate) {}
