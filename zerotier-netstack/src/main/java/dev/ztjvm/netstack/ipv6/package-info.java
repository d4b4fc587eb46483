/** IPv6 (RFC 8200) header and extension-header layout, address helpers (link-local, solicited-node, ZeroTier RFC 4193 and 6PLANE). */
@NullMarked
package dev.ztjvm.netstack.ipv6;

import org.jspecify.annotations.NullMarked;
