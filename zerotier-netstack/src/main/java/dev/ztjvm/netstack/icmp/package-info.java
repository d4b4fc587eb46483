/** ICMPv4 (RFC 792) and ICMPv6 (RFC 4443, neighbour discovery RFC 4861) message layouts and the echo (ping) result type. */
@NullMarked
package dev.ztjvm.netstack.icmp;

import org.jspecify.annotations.NullMarked;
