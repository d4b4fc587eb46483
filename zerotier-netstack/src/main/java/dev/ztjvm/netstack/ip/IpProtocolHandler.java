package dev.ztjvm.netstack.ip;

/**
 * A transport protocol bound into the IP layer. The IP layer has already checked the IP header and that the
 * destination is one of ours; the handler checks its own checksum (see {@link InternetChecksum}).
 */
public interface IpProtocolHandler {

  /** IP protocol number this handler takes. */
  int protocol();

  /**
   * One received transport payload. {@code src} and {@code dst} are only valid during the call.
   *
   * @param buf buffer holding the payload at {@code [off, off + len)}; only valid during the call
   */
  void receive(byte[] src, byte[] dst, byte[] buf, int off, int len, long nowNanos);

  /**
   * An ICMP/ICMPv6 error arrived about a datagram this protocol sent: {@code quoted} holds the start of the
   * offending transport header at {@code [off, off + len)} (at least 8 bytes when present). {@code src} and
   * {@code dst} are the source (one of ours) and destination of that offending datagram, as quoted in the error;
   * all arrays are only valid during the call.
   *
   * @param kind what went wrong
   * @param mtu the next-hop MTU for {@link IcmpErrorKind#PACKET_TOO_BIG}, else 0
   */
  default void icmpError(
      IcmpErrorKind kind, byte[] src, byte[] dst, byte[] quoted, int off, int len, int mtu, long nowNanos) {}

  /** Classes of ICMP error a transport may act on. */
  enum IcmpErrorKind {
    /** Port unreachable: nobody listens (UDP reports it to the socket; TCP treats it as a soft error). */
    PORT_UNREACHABLE,
    /** Host, network, protocol unreachable or administratively prohibited. */
    HOST_UNREACHABLE,
    /** Fragmentation needed / packet too big (path MTU discovery). */
    PACKET_TOO_BIG,
    /** TTL or hop limit exceeded on the way. */
    TIME_EXCEEDED
  }
}
