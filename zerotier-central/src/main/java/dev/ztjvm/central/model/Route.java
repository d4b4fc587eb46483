package dev.ztjvm.central.model;

import org.jspecify.annotations.Nullable;

/**
 * A managed route pushed to members ({@code Route} in the spec).
 *
 * @param target destination in CIDR notation, e.g. {@code 10.0.0.0/24}
 * @param via    gateway address, {@code null} for a route on the ZeroTier network itself
 */
public record Route(@Nullable String target, @Nullable String via) {}
