/** Ethernet II framing: header layout, MAC addresses. */
@NullMarked
package dev.ztjvm.netstack.ethernet;

import org.jspecify.annotations.NullMarked;
