package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TwoHostNetExtension.class)
@Timeout(60)
class BlockingSocketTest {

  private TwoHostNet net; // a fresh one for each test

  private void echo(InetAddress serverAddress, InetAddress bindAddress) throws Exception {
    try (ZeroTierServerSocket server = new ZeroTierServerSocket(net.b, 7000, 50, bindAddress)) {
      CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream();
          byte[] buf = new byte[4096];
          int n;
          while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
          }
          return s.getInetAddress().getHostAddress();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      try (Socket c = new ZeroTierSocket(net.a, serverAddress, 7000)) {
        assertThat(c.isConnected()).isTrue();
        assertThat(c.getPort()).isEqualTo(7000);
        assertThat(c.getInetAddress()).isEqualTo(serverAddress);
        assertThat(c.getLocalPort()).isPositive();
        byte[] msg = "hello over the userspace stack \u00ff\u0080".getBytes(StandardCharsets.UTF_8);
        c.getOutputStream().write(msg);
        byte[] back = new byte[msg.length];
        new DataInputStream(c.getInputStream()).readFully(back);
        assertThat(back).isEqualTo(msg);
        // high bytes come back as 0..255 from read()
        c.getOutputStream().write(0xff);
        assertThat(c.getInputStream().read()).isEqualTo(0xff);
        c.shutdownOutput();
        assertThat(c.getInputStream().read()).isEqualTo(-1);
      }
      String peer = served.get(30, TimeUnit.SECONDS);
      assertThat(InetAddress.getByName(peer)).isEqualTo(serverAddress.getAddress().length == 4 ? TwoHostNet.A4
          : TwoHostNet.A6);
    }
  }

  @Test
  void echoOverIpv4ToWildcardServer() throws Exception {
    echo(TwoHostNet.B4, null);
  }

  @Test
  void echoOverIpv6ToWildcardServer() throws Exception {
    echo(TwoHostNet.B6, null);
  }

  @Test
  void echoOverIpv6ToServerBoundToItsAddress() throws Exception {
    echo(TwoHostNet.B6, TwoHostNet.B6);
  }

  @Test
  void connectionRefusedWhenNobodyListens() {
    assertThatThrownBy(() -> new ZeroTierSocket(net.a, TwoHostNet.B4, 7999))
        .isInstanceOf(ConnectException.class).hasMessage("Connection refused");
  }

  @Test
  void connectTimeoutToAnAddressThatDoesNotAnswer() throws Exception {
    try (Socket s = new ZeroTierSocket(net.a)) {
      assertThatThrownBy(() -> s.connect(new InetSocketAddress(TwoHostNet.SILENT4, 80), 300))
          .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("timed out");
    }
  }

  @Test
  void readTimeoutThenDataStillArrives() throws Exception {
    try (ServerSocket server = new ZeroTierServerSocket(net.b, 7001);
        Socket c = new ZeroTierSocket(net.a, TwoHostNet.B4, 7001);
        Socket s = server.accept()) {
      c.setSoTimeout(200);
      assertThat(c.getSoTimeout()).isEqualTo(200);
      assertThatThrownBy(() -> c.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class).hasMessage("Read timed out");
      s.getOutputStream().write(42);
      assertThat(c.getInputStream().read()).isEqualTo(42);
    }
  }

  @Test
  void acceptTimeout() throws Exception {
    try (ServerSocket server = new ZeroTierServerSocket(net.b, 7002)) {
      server.setSoTimeout(150);
      assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class)
          .hasMessage("Accept timed out");
    }
  }

  @Test
  void halfCloseBothWays() throws Exception {
    try (ServerSocket server = new ZeroTierServerSocket(net.b, 7003);
        Socket c = new ZeroTierSocket(net.a, TwoHostNet.B6, 7003);
        Socket s = server.accept()) {
      c.getOutputStream().write("request".getBytes(StandardCharsets.US_ASCII));
      c.shutdownOutput();
      assertThat(c.isOutputShutdown()).isTrue();
      // the server reads to EOF, then still answers on its open direction
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("request");
      s.getOutputStream().write("response".getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("response");
      // shutdownInput: further reads see end of stream
      InputStream sin = s.getInputStream(); // the JDK refuses getInputStream() after shutdownInput()
      s.shutdownInput();
      assertThat(sin.read()).isEqualTo(-1);
    }
  }

  @Test
  void bindToAnAddressOfAnotherHostFails() throws Exception {
    try (ServerSocket server = new ZeroTierServerSocket(net.b)) {
      assertThatThrownBy(() -> server.bind(new InetSocketAddress(TwoHostNet.A4, 7004)))
          .isInstanceOf(java.net.BindException.class).hasMessageContaining("Cannot assign requested address");
    }
    try (ServerSocket first = new ZeroTierServerSocket(net.b, 7005);
        ServerSocket second = new ZeroTierServerSocket(net.b)) {
      assertThatThrownBy(() -> second.bind(new InetSocketAddress(7005)))
          .isInstanceOf(java.net.BindException.class).hasMessageContaining("in use");
    }
  }

  @Test
  void resetByPeerIsASocketException() throws Exception {
    try (ServerSocket server = new ZeroTierServerSocket(net.b, 7006);
        Socket c = new ZeroTierSocket(net.a, TwoHostNet.B4, 7006)) {
      Socket s = server.accept();
      s.setSoLinger(true, 0);
      s.close(); // RST
      assertThatThrownBy(() -> {
        for (int i = 0; i < 100; i++) {
          c.getInputStream().read();
        }
      }).isInstanceOf(java.net.SocketException.class).hasMessage("Connection reset");
    }
  }

  @Test
  void optionsRoundTrip() throws Exception {
    try (ServerSocket server = new ZeroTierServerSocket(net.b, 7007);
        Socket c = new ZeroTierSocket(net.a, TwoHostNet.B4, 7007);
        Socket s = server.accept()) {
      c.setTcpNoDelay(true);
      assertThat(c.getTcpNoDelay()).isTrue();
      c.setKeepAlive(true);
      assertThat(c.getKeepAlive()).isTrue();
      c.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, 30);
      c.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL, 5);
      c.setOption(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT, 4);
      assertThat(c.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(30);
      assertThat(c.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(4);
      var ch = ((ZeroTierSocket) c).zeroTierImpl().channel();
      assertThat(net.a.call(() -> ch.keepAliveIntervalSeconds())).isEqualTo(5);
      assertThat(net.a.call(() -> ch.keepAlive() && ch.noDelay())).isTrue();
      c.setSoLinger(true, 3);
      assertThat(c.getSoLinger()).isEqualTo(3);
      c.setSendBufferSize(65536);
      assertThat(c.getSendBufferSize()).isEqualTo(65536);
      assertThat(net.a.call(() -> ch.sendBufferSize())).isEqualTo(65536);
      c.setTrafficClass(0x10);
      assertThat(c.getTrafficClass()).isEqualTo(0x10);
      c.setReuseAddress(true);
      assertThat(c.getReuseAddress()).isTrue();
      assertThat(c.getLocalAddress()).isEqualTo(TwoHostNet.A4);
      assertThat(s.getLocalAddress()).isEqualTo(TwoHostNet.B4);
      assertThat(s.getLocalSocketAddress()).isEqualTo(new InetSocketAddress(TwoHostNet.B4, 7007));
      assertThat(s.getRemoteSocketAddress()).isEqualTo(c.getLocalSocketAddress());
      assertThat(c.supportedOptions()).contains(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE);
      assertThat(((ZeroTierSocket) s).remoteNode()).isEmpty();
      net.b.setRemoteNodeResolver((nif, remote, mac) -> mac != null && remote.equals(TwoHostNet.A4)
          ? 0x89e92ceeL : -1);
      assertThat(((ZeroTierSocket) s).remoteNode()).hasValue(0x89e92ceeL);
    }
  }
}
