package dev.ztjvm.netstack.ip;

/** How a transport hands a payload to the IP layer, which adds the header, routes, resolves and fragments. */
public interface IpSender {

  /**
   * Sends one datagram.
   *
   * @param src source address (4 or 16 bytes), one of the interface's own addresses
   * @param dst destination address, same family as {@code src}
   * @param protocol IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6)
   * @param payload transport header and data, checksum already filled in
   * @return {@code false} if the datagram was dropped here (no route, neighbour unresolved and its queue full,
   *     interface down); the caller treats that like loss on the wire
   */
  boolean send(byte[] src, byte[] dst, int protocol, byte[] payload, int off, int len);

  /**
   * Sends one datagram to a multicast group with an explicit TTL / hop limit.
   *
   * @param ttl IPv4 TTL or IPv6 hop limit (1 keeps it on the link)
   * @param loop whether sockets of this interface that joined {@code dst} get a copy (IP_MULTICAST_LOOP)
   */
  default boolean sendMulticast(
      byte[] src, byte[] dst, int protocol, int ttl, boolean loop, byte[] payload, int off, int len) {
    return send(src, dst, protocol, payload, off, len);
  }

  /** Largest transport payload that fits one unfragmented datagram towards {@code dst} (link MTU minus IP header). */
  int maxPayload(byte[] dst);
}
