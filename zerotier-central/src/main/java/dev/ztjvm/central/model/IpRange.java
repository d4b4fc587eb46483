package dev.ztjvm.central.model;

import org.jspecify.annotations.Nullable;

/**
 * An IP address range of a network's auto-assign pool ({@code IPRange} in the spec).
 *
 * @param ipRangeStart first address of the range, inclusive
 * @param ipRangeEnd   last address of the range, inclusive
 */
public record IpRange(@Nullable String ipRangeStart, @Nullable String ipRangeEnd) {}
