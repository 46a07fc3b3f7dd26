package dev.jrun.spec.model;

import java.util.List;

/**
 * blkio (v1) / io (v2) controller settings.
 *
 * @param weight uint16
 * @param leafWeight uint16
 */
public record LinuxBlockIO(
        @Go("*uint16") Integer weight,
        @Go("*uint16") Integer leafWeight,
        List<LinuxWeightDevice> weightDevice,
        List<LinuxThrottleDevice> throttleReadBpsDevice,
        List<LinuxThrottleDevice> throttleWriteBpsDevice,
        List<LinuxThrottleDevice> throttleReadIOPSDevice,
        List<LinuxThrottleDevice> throttleWriteIOPSDevice) {

    public LinuxBlockIO {
        weightDevice = Copy.list(weightDevice);
        throttleReadBpsDevice = Copy.list(throttleReadBpsDevice);
        throttleWriteBpsDevice = Copy.list(throttleWriteBpsDevice);
        throttleReadIOPSDevice = Copy.list(throttleReadIOPSDevice);
        throttleWriteIOPSDevice = Copy.list(throttleWriteIOPSDevice);
    }
}
