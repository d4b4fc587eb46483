package dev.ztjvm.vl1;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * RENDEZVOUS (spec 3.6): {@code flags (1) | peer address (5) | port (2) | IP length (1: 4 or 16) | IP}. Sent by
 * upstreams to introduce two peers; accepted only from upstreams.
 */
public record Rendezvous(int flags, long peer, InetSocketAddress peerAddress) {

  /** Writes a complete RENDEZVOUS packet and returns its length. */
  public int write(byte[] buf, int off, long packetId, long destination, long source) {
    Packet.writeHeader(buf, off, packetId, destination, source, Verb.RENDEZVOUS);
    byte[] ip = peerAddress.getAddress().getAddress();
    WireWriter w = new WireWriter(buf, off + Packet.IDX_PAYLOAD)
        .u8(flags).u40(peer).u16(peerAddress.getPort()).u8(ip.length).bytes(ip);
    return w.position() - off;
  }

  /** Parses a dearmored RENDEZVOUS packet; null if malformed (IP length other than 4 or 16, truncated). */
  public static @Nullable Rendezvous parse(byte[] pkt, int off, int len) {
    try {
      WireReader r = new WireReader(pkt, off, len);
      r.skip(Packet.IDX_PAYLOAD);
      int flags = r.u8();
      long peer = r.u40();
      int port = r.u16();
      int ipLen = r.u8();
      if (ipLen != 4 && ipLen != 16) {
        return null;
      }
      byte[] ip = r.bytes(ipLen);
      return new Rendezvous(flags, peer, InetAddresses.of(ip, port));
    } catch (WireFormatException e) {
      return null;
    }
  }

  /** True if the hinted address is IPv4. */
  public boolean isIpv4() {
    return peerAddress.getAddress() instanceof Inet4Address;
  }
}
