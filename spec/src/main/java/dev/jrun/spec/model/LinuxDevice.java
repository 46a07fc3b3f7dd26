package dev.jrun.spec.model;

/**
 * A device node to create in the container.
 *
 * @param type c, b, u or p
 * @param major int64; required unless the type is p
 * @param minor int64; required unless the type is p
 * @param fileMode uint32 permission bits (decimal in JSON)
 * @param uid uint32 owner in the container
 * @param gid uint32 group in the container
 */
public record LinuxDevice(
        String path, String type, Long major, Long minor, Long fileMode, Long uid, Long gid) {}
