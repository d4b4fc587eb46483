/**
 * A userspace TCP/IP stack: Ethernet frames in, Ethernet frames out. It knows nothing of ZeroTier.
 *
 * <p>Design (after smoltcp): single-threaded and poll-driven; time is passed in as {@code long nowNanos}
 * (a monotonic nanosecond count chosen by the caller) and never read from clocks inside the stack; packets are
 * parsed in place from buffers; every queue is bounded and every drop counted. One package per layer:
 * {@code ethernet}, {@code arp}, {@code ipv4}, {@code ipv6}, {@code icmp}, {@code udp}, {@code tcp}; {@code ip}
 * holds the seam between the IP layer and the transports.
 *
 * <p>Entry point: {@link dev.ztjvm.netstack.NetworkInterface}, one per virtual NIC. The owner of the link (the
 * ZeroTier layer, a TAP device, a test link) constructs it with an {@link dev.ztjvm.netstack.InterfaceConfig} and a
 * {@link dev.ztjvm.netstack.FrameSink} for outgoing frames, assigns addresses and routes, calls
 * {@link dev.ztjvm.netstack.NetworkInterface#receiveFrame} for every incoming frame and
 * {@link dev.ztjvm.netstack.NetworkInterface#poll} whenever {@link dev.ztjvm.netstack.NetworkInterface#nextDeadline()}
 * has come (and after application calls). Applications use {@code udp().open()}, {@code enableTcp(...)} /
 * {@code tcp()}, and {@code ping(...)}.
 */
@NullMarked
package dev.ztjvm.netstack;

import org.jspecify.annotations.NullMarked;
