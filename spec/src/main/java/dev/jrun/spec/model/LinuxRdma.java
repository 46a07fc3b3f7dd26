package dev.jrun.spec.model;

/**
 * rdma controller limits for one device (both uint32).
 */
public record LinuxRdma(Long hcaHandles, Long hcaObjects) {}
