/** UDP (RFC 768): sockets bound to a {@link dev.ztjvm.netstack.NetworkInterface}. */
@NullMarked
package dev.ztjvm.netstack.udp;

import org.jspecify.annotations.NullMarked;
