package dev.ztjvm.vl1.pcap;

import java.net.InetSocketAddress;

/**
 * One UDP datagram found in a capture.
 *
 * @param frame 1-based number of the capture record it came from
 * @param timestampMicros capture time in microseconds since the epoch
 */
public record UdpDatagram(int frame, long timestampMicros, InetSocketAddress source, InetSocketAddress destination,
    byte[] payload) {

  public UdpDatagram {
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
