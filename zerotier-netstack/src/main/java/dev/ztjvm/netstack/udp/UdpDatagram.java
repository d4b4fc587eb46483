package dev.ztjvm.netstack.udp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * One received UDP datagram. The arrays are owned by the record (copied out of the receive path) and not copied
 * again by the accessors.
 *
 * @param source sender's address, 4 or 16 bytes
 * @param sourcePort sender's port
 * @param destination the address it was sent to (ours, a broadcast or a multicast group)
 * @param destinationPort the port it was sent to
 * @param data the payload
 */
public record UdpDatagram(byte[] source, int sourcePort, byte[] destination, int destinationPort, byte[] data) {

  /** The sender as a socket address. */
  public InetSocketAddress sender() {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(source), sourcePort);
    } catch (UnknownHostException e) {
      throw new AssertionError("address of length " + source.length, e);
    }
  }
}
