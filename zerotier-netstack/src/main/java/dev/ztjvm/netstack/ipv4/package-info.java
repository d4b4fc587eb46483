/** IPv4 (RFC 791) header layout and address helpers. */
@NullMarked
package dev.ztjvm.netstack.ipv4;

import org.jspecify.annotations.NullMarked;
