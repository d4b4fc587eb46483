package dev.ztjvm.sockets;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/** A tiny DNS server for tests: answers every query that reaches a datagram socket, until the socket closes. */
final class DnsResponder {

  private DnsResponder() {}

  /** Starts a daemon thread sending {@code answer(query)} back to each query's sender on {@code socket}. */
  static Thread start(DatagramSocket socket, UnaryOperator<byte[]> answer) {
    Thread responder = new Thread(() -> {
      byte[] buf = new byte[1500];
      try {
        while (true) {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          socket.receive(p);
          byte[] reply = answer.apply(Arrays.copyOf(p.getData(), p.getLength()));
          socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
        }
      } catch (Exception e) {
        // closed
      }
    }, "test-dns");
    responder.setDaemon(true);
    responder.start();
    return responder;
  }
}
