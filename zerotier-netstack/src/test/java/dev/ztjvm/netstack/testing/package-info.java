/**
 * Test support for the netstack: a simulated Ethernet link with seeded faults and a virtual-time driver. Shipped
 * in the zerotier-netstack test-jar for other modules' tests.
 */
@NullMarked
package dev.ztjvm.netstack.testing;

import org.jspecify.annotations.NullMarked;
