package dev.ztjvm.netstack;

/**
 * Read-only snapshot of the per-layer counters of one {@link NetworkInterface}. Transports plugged in from outside
 * (TCP) keep their own statistics.
 *
 * @param ethernet frames in and out
 * @param arp ARP packets
 * @param ipv4 IPv4 datagrams (fragments count individually on receive)
 * @param ipv4Reassembly IPv4 fragments: received, datagrams delivered, drops by timeout and overflow
 * @param ipv6 IPv6 packets
 * @param ipv6Reassembly IPv6 fragments
 * @param icmpv4 ICMPv4 messages
 * @param icmpv6 ICMPv6 messages other than neighbour discovery
 * @param neighborDiscovery ICMPv6 neighbour discovery (NS/NA/RS/RA/redirect) messages
 * @param udp UDP datagrams (both families)
 * @param internalErrors exceptions caught at the interface boundary (a bug in the stack or a transport); the
 *     frame or timer run in question was abandoned
 */
public record NetstackStatistics(
    LayerStatistics ethernet,
    LayerStatistics arp,
    LayerStatistics ipv4,
    LayerStatistics ipv4Reassembly,
    LayerStatistics ipv6,
    LayerStatistics ipv6Reassembly,
    LayerStatistics icmpv4,
    LayerStatistics icmpv6,
    LayerStatistics neighborDiscovery,
    LayerStatistics udp,
    long internalErrors) {}
