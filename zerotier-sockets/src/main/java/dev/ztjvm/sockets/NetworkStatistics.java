package dev.ztjvm.sockets;

import dev.ztjvm.netstack.NetstackStatistics;

/**
 * Statistics of one joined network's in-JVM stack interface, since the network was joined in the current run.
 *
 * @param networkId the network
 * @param tcp TCP connections and counters on this network
 * @param stack per-layer counters of the interface (Ethernet, ARP, IPv4/IPv6, ICMP, UDP)
 */
public record NetworkStatistics(long networkId, TcpStatistics tcp, NetstackStatistics stack) {}
