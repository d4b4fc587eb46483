package dev.ztjvm.netstack;

import java.net.InetAddress;

/**
 * An address assigned to an interface with its on-link prefix.
 *
 * @param address the IPv4 or IPv6 address
 * @param prefixLength prefix of the on-link network (0..32 or 0..128)
 */
public record AssignedAddress(InetAddress address, int prefixLength) {}
