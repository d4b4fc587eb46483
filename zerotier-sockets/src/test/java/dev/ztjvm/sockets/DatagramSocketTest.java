package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TwoHostNetExtension.class)
@Timeout(60)
class DatagramSocketTest {

  private TwoHostNet net; // a fresh one for each test

  private static DatagramPacket packet(String s, InetAddress to, int port) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return new DatagramPacket(b, b.length, to, port);
  }

  private static String text(DatagramPacket p) {
    return new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.UTF_8);
  }

  @Test
  void sendAndReceiveBothFamiliesWithSenderAddress() throws Exception {
    try (DatagramSocket server = new ZeroTierDatagramSocket(net.b, 9000);
        DatagramSocket client = new ZeroTierDatagramSocket(net.a)) {
      server.setSoTimeout(10_000);
      for (InetAddress to : new InetAddress[] {TwoHostNet.B4, TwoHostNet.B6}) {
        client.send(packet("ping " + to.getHostAddress(), to, 9000));
        DatagramPacket in = new DatagramPacket(new byte[2000], 2000);
        server.receive(in);
        assertThat(text(in)).isEqualTo("ping " + to.getHostAddress());
        assertThat(in.getAddress()).isEqualTo(to.getAddress().length == 4 ? TwoHostNet.A4 : TwoHostNet.A6);
        assertThat(in.getPort()).isEqualTo(client.getLocalPort());
        // answer the sender
        server.send(packet("pong", in.getAddress(), in.getPort()));
        DatagramPacket back = new DatagramPacket(new byte[100], 100);
        client.setSoTimeout(10_000);
        client.receive(back);
        assertThat(text(back)).isEqualTo("pong");
        assertThat(back.getSocketAddress()).isEqualTo(new InetSocketAddress(to, 9000));
      }
    }
  }

  @Test
  void receiveTimesOut() throws Exception {
    try (DatagramSocket s = new ZeroTierDatagramSocket(net.b, 9001)) {
      s.setSoTimeout(100);
      assertThatThrownBy(() -> s.receive(new DatagramPacket(new byte[10], 10)))
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void connectedSocketOnlyHearsItsPeer() throws Exception {
    try (DatagramSocket server = new ZeroTierDatagramSocket(net.b, 9002);
        DatagramSocket peer = new ZeroTierDatagramSocket(net.a, 9100);
        DatagramSocket stranger = new ZeroTierDatagramSocket(net.a, 9101)) {
      server.connect(new InetSocketAddress(TwoHostNet.A4, 9100));
      assertThat(server.isConnected()).isTrue();
      server.setSoTimeout(10_000);
      stranger.send(packet("from stranger", TwoHostNet.B4, 9002));
      peer.send(packet("from peer", TwoHostNet.B4, 9002));
      DatagramPacket in = new DatagramPacket(new byte[100], 100);
      server.receive(in);
      assertThat(text(in)).isEqualTo("from peer");
      // a connected socket sends without an address
      byte[] b = "reply".getBytes(StandardCharsets.UTF_8);
      server.send(new DatagramPacket(b, b.length));
      DatagramPacket r = new DatagramPacket(new byte[100], 100);
      peer.setSoTimeout(10_000);
      peer.receive(r);
      assertThat(text(r)).isEqualTo("reply");
    }
  }

  @Test
  void broadcastNeedsSoBroadcast() throws Exception {
    InetAddress subnetBroadcast = InetAddress.getByName("10.147.17.255");
    try (DatagramSocket server = new ZeroTierDatagramSocket(net.b, 9003);
        DatagramSocket client = new ZeroTierDatagramSocket(net.a)) {
      assertThatThrownBy(() -> client.send(packet("x", subnetBroadcast, 9003)))
          .isInstanceOf(SocketException.class).hasMessageContaining("SO_BROADCAST");
      client.setBroadcast(true);
      assertThat(client.getBroadcast()).isTrue();
      client.send(packet("to all", subnetBroadcast, 9003));
      server.setSoTimeout(10_000);
      DatagramPacket in = new DatagramPacket(new byte[100], 100);
      server.receive(in);
      assertThat(text(in)).isEqualTo("to all");
      assertThat(in.getAddress()).isEqualTo(TwoHostNet.A4);
    }
  }

  @Test
  void bindToForeignAddressFails() {
    assertThatThrownBy(() -> new ZeroTierDatagramSocket(net.b, new InetSocketAddress(TwoHostNet.A4, 9004)))
        .isInstanceOf(java.net.BindException.class);
  }
}
