package dev.ztjvm.netstack;

import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * A route: destinations in {@code network/prefixLength} go via {@code gateway}, or are on-link when the gateway
 * is {@code null}. The longest matching prefix wins; on-link prefixes of assigned addresses need no route.
 *
 * @param network the network address (host bits ignored)
 * @param prefixLength 0 for a default route
 * @param gateway next hop, an on-link address of the same family, or {@code null} for on-link
 */
public record Route(InetAddress network, int prefixLength, @Nullable InetAddress gateway) {}
