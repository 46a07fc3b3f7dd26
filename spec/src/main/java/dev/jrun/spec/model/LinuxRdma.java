package dev.jrun.spec.model;

/**
 * rdma controller limits for one device (both uint32).
 */
public record LinuxRdma(
        @Go("*uint32") Long hcaHandles,
        @Go("*uint32") Long hcaObjects) {}
