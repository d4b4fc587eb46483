package dev.ztjvm.nativeio;

/**
 * Counters of one {@link TapDevice}. Taken while the device is in use, the figures are each exact but not from one
 * instant.
 *
 * @param framesRead frames returned by {@link TapDevice#read}
 * @param bytesRead bytes in those frames
 * @param framesWritten frames the kernel accepted from {@link TapDevice#write}
 * @param bytesWritten bytes in those frames
 * @param readDropsTooLarge frames read from the kernel but dropped because the caller's buffer was too small
 * @param writeDrops frames the kernel refused (interface down, queue full); they count as loss on the wire
 */
public record TapStatistics(
    long framesRead,
    long bytesRead,
    long framesWritten,
    long bytesWritten,
    long readDropsTooLarge,
    long writeDrops) {}
