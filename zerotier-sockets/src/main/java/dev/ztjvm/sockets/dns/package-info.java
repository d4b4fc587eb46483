/** A small DNS client (A and AAAA over UDP) used to resolve names through servers on ZeroTier networks. */
@NullMarked
package dev.ztjvm.sockets.dns;

import org.jspecify.annotations.NullMarked;
