package dev.jrun.spec.model;

/**
 * Memory controller settings. Byte values are int64 with -1 meaning unlimited.
 *
 * @param kernel deprecated: kernel memory limits no longer exist in cgroup v2 or recent kernels
 * @param swappiness uint64, unsigned; 0..100 (Docker's "unset" -1 arrives as 2^64-1)
 */
public record LinuxMemory(
        @Go("*int64") Long limit,
        @Go("*int64") Long reservation,
        @Go("*int64") Long swap,
        @Go("*int64") Long kernel,
        @Go("*int64") Long kernelTCP,
        @Go("*uint64") Long swappiness,
        @Go("*bool") Boolean disableOOMKiller,
        @Go("*bool") Boolean useHierarchy,
        @Go("*bool") Boolean checkBeforeUpdate) {}
