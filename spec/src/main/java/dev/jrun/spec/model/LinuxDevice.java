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
        @Go(omitempty = false) String path,
        @Go(omitempty = false) String type,
        @Go(value = "int64", omitempty = false) Long major,
        @Go(value = "int64", omitempty = false) Long minor,
        @Go("*uint32") Long fileMode,
        @Go("*uint32") Long uid,
        @Go("*uint32") Long gid) {}
