package dev.jrun.spec.model;

/**
 * A hugetlb limit.
 *
 * @param pageSize e.g. {@code 2MB}
 * @param limit uint64 bytes, unsigned
 */
public record LinuxHugepageLimit(
        @Go(omitempty = false) String pageSize,
        @Go(value = "uint64", omitempty = false) Long limit) {}
