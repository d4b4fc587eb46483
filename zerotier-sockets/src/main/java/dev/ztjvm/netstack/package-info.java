/**
 * A userspace TCP/IP stack: Ethernet frames in, Ethernet frames out. It knows nothing of ZeroTier.
 *
 * <p>Design (after smoltcp): single-threaded and poll-driven; time is passed in as {@code long nowNanos}
 * (a monotonic nanosecond count chosen by the caller) and never read from clocks inside the stack; packets are
 * parsed in place from buffers. One package per layer: {@code ethernet}, {@code arp}, {@code ipv4},
 * {@code ipv6}, {@code icmp}, {@code udp}, {@code tcp}; {@code ip} holds the seam between the IP layer and
 * the transports.
 */
@NullMarked
package dev.ztjvm.netstack;

import org.jspecify.annotations.NullMarked;
