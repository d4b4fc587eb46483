package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.netstack.InterfaceConfig;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.tcp.TcpConfig;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TwoHostNetExtension.class)
@Timeout(60)
class SocketLifecycleTest {

  private TwoHostNet net; // a fresh one for each test

  @Test
  void closeWakesABlockedReaderAndABlockedAccept() throws Exception {
    try (ServerSocket server = new ZeroTierServerSocket(net.b, 7100);
        Socket c = new ZeroTierSocket(net.a, TwoHostNet.B4, 7100);
        Socket s = server.accept()) {
      InputStream in = c.getInputStream();
      CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
        try {
          in.read();
          return null;
        } catch (Exception e) {
          return e;
        }
      });
      Thread.sleep(100); // let it block (the result is the same if it had not yet)
      c.close();
      assertThat(reader.get(10, TimeUnit.SECONDS)).isInstanceOf(SocketException.class)
          .hasMessage("Socket closed");
      // the peer sees the orderly end of stream
      assertThat(s.getInputStream().read()).isEqualTo(-1);

      CompletableFuture<Throwable> acceptor = CompletableFuture.supplyAsync(() -> {
        try {
          server.accept();
          return null;
        } catch (Exception e) {
          return e;
        }
      });
      Thread.sleep(100);
      server.close();
      assertThat(acceptor.get(10, TimeUnit.SECONDS)).isInstanceOf(SocketException.class);
    }
  }

  @Test
  void v6OnlyWildcardServerRefusesIpv4() throws Exception {
    try (ZeroTierServerSocket server = new ZeroTierServerSocket(net.b)) {
      server.setOption(ZeroTierSocketOptions.IPV6_V6ONLY, true);
      assertThat(server.getOption(ZeroTierSocketOptions.IPV6_V6ONLY)).isTrue();
      server.bind(new java.net.InetSocketAddress(7101));
      server.setSoTimeout(5000);
      // IPv4: the handshake completes in the stack, accept resets it, the client reads a reset
      Socket v4 = new ZeroTierSocket(net.a, TwoHostNet.B4, 7101);
      Socket v6 = new ZeroTierSocket(net.a, TwoHostNet.B6, 7101);
      try (Socket accepted = server.accept()) {
        assertThat(accepted.getInetAddress()).isEqualTo(TwoHostNet.A6);
      }
      assertThatThrownBy(() -> v4.getInputStream().read()).isInstanceOf(SocketException.class)
          .hasMessage("Connection reset");
      v4.close();
      v6.close();
    }
  }

  @Test
  void lingerMakesCloseWaitUntilTheDataIsAcknowledged() throws Exception {
    try (ServerSocket server = new ZeroTierServerSocket(net.b, 7102);
        Socket c = new ZeroTierSocket(net.a, TwoHostNet.B4, 7102);
        Socket s = server.accept()) {
      c.setSoLinger(true, 10);
      byte[] data = new byte[512 * 1024];
      c.getOutputStream().write(data);
      var channel = ((ZeroTierSocket) c).zeroTierImpl().channel();
      c.close();
      // after a lingering close nothing is left unacknowledged
      assertThat(net.a.call(() -> channel.isFinished() ? 0 : channel.unacknowledgedBytes())).isZero();
      assertThat(s.getInputStream().readAllBytes()).hasSize(data.length);
    }
  }

  @Test
  void wildcardServerCoversAnInterfaceAddedLater() throws Exception {
    try (ServerSocket server = new ZeroTierServerSocket(net.b, 7103)) {
      // a second network on both hosts, wired like the first
      NetworkInterface[] second = new NetworkInterface[2];
      second[0] = net.a.addInterface(InterfaceConfig.builder(new MacAddress(0x02_00_00_00_01_01L)).build(),
          (f, off, len) -> net.b.receiveFrame(second[1], f, off, len), TcpConfig.defaults());
      second[1] = net.b.addInterface(InterfaceConfig.builder(new MacAddress(0x02_00_00_00_01_02L)).build(),
          (f, off, len) -> net.a.receiveFrame(second[0], f, off, len), TcpConfig.defaults());
      InetAddress a2 = InetAddress.getByName("172.23.0.1");
      InetAddress b2 = InetAddress.getByName("172.23.0.2");
      net.a.call(() -> {
        second[0].addAddress(a2, 16);
        return null;
      });
      net.b.call(() -> {
        second[1].addAddress(b2, 16);
        return null;
      });
      try (Socket c = new ZeroTierSocket(net.a, b2, 7103); Socket s = server.accept()) {
        assertThat(c.getLocalAddress()).isEqualTo(a2);
        assertThat(s.getLocalAddress()).isEqualTo(b2);
        c.getOutputStream().write(7);
        assertThat(s.getInputStream().read()).isEqualTo(7);
      }
      assertThat(net.a.call(() -> net.a.interfaceFor(b2))).isSameAs(second[0]);
      assertThat(net.a.call(() -> net.a.interfaceFor(TwoHostNet.B6))).isSameAs(net.nifA);
      assertThat(net.a.call(() -> net.a.interfaceFor(InetAddress.getByName("192.0.2.1")))).isNull();
    }
  }
}
