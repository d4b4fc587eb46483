package dev.ztjvm.central.model;

import org.jspecify.annotations.Nullable;

/**
 * IPv4 address assignment mode ({@code IPV4AssignMode} in the spec).
 *
 * @param zt assign IPv4 addresses from the network's pools
 */
public record V4AssignMode(@Nullable Boolean zt) {}
