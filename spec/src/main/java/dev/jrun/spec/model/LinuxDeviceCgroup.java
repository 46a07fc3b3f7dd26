package dev.jrun.spec.model;

/**
 * One rule of the device allow list, applied in order.
 *
 * @param type a (all), c or b; absent means a
 * @param major int64; absent means any
 * @param minor int64; absent means any
 * @param access letters from "rwm"
 */
public record LinuxDeviceCgroup(
        @Go(omitempty = false) Boolean allow,
        String type,
        @Go("*int64") Long major,
        @Go("*int64") Long minor,
        String access) {

    public boolean isAllow() {
        return Boolean.TRUE.equals(allow);
    }
}
