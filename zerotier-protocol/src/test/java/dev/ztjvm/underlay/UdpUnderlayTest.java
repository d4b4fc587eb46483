package dev.ztjvm.underlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.runtime.EventLoop;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UdpUnderlayTest {

  private record Got(int socket, InetSocketAddress from, String text) {}

  @Test
  void twoUnderlaysExchangeDatagramsOnLoopback() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    BlockingQueue<Got> gotA = new LinkedBlockingQueue<>();
    BlockingQueue<Got> gotB = new LinkedBlockingQueue<>();
    try (EventLoop loopA = new EventLoop("a").start();
        EventLoop loopB = new EventLoop("b").start()) {
      UdpUnderlay a = loopA.call(() -> UdpUnderlay.open(loopA, UnderlayConfig.bind(lo, 0), recorder(gotA)), T);
      UdpUnderlay b = loopB.call(() -> UdpUnderlay.open(loopB, UnderlayConfig.bind(lo, 0), recorder(gotB)), T);
      assertThat(a.primaryPort()).isBetween(20000, 65535);
      InetSocketAddress toB = new InetSocketAddress(lo, b.primaryPort());
      byte[] hello = "hello b".getBytes(StandardCharsets.UTF_8);
      assertThat(loopA.call(() -> a.send(-1, toB, hello, 0, hello.length), T)).isTrue();
      Got g = gotB.poll(5, TimeUnit.SECONDS);
      assertThat(g).isNotNull();
      assertThat(g.text()).isEqualTo("hello b");
      assertThat(g.from().getPort()).isEqualTo(a.primaryPort());
      // reply to the observed source through the socket it arrived on
      byte[] reply = "hi a".getBytes(StandardCharsets.UTF_8);
      assertThat(loopB.call(() -> b.send(g.socket(), g.from(), reply, 0, reply.length), T)).isTrue();
      assertThat(gotA.poll(5, TimeUnit.SECONDS).text()).isEqualTo("hi a");
      assertThat(b.datagramsIn()).isEqualTo(1);
      assertThat(b.datagramsOut()).isEqualTo(1);
      loopA.call(() -> {
        a.close();
        return null;
      }, T);
      loopB.call(() -> {
        b.close();
        return null;
      }, T);
    }
  }

  @Test
  void fixedPortInUseFailsWithAMessageNamingPortAndAddress() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    try (EventLoop loop = new EventLoop("c").start()) {
      UdpUnderlay first = loop.call(() -> UdpUnderlay.open(loop, UnderlayConfig.bind(lo, 0), (s, f, b, o, l) -> {}), T);
      int port = first.primaryPort();
      assertThatThrownBy(
          () -> loop.call(() -> UdpUnderlay.open(loop, UnderlayConfig.bind(lo, port), (s, f, b, o, l) -> {}), T))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(BindException.class)
          .hasMessageContaining("UDP port " + port)
          .hasMessageContaining(lo.getHostAddress());
    }
  }

  @Test
  void secondaryPortIsBoundWhenAsked() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    try (EventLoop loop = new EventLoop("d").start()) {
      UnderlayConfig cfg = new UnderlayConfig(0, 30000, 40000, true, List.of(lo), true, false);
      UdpUnderlay u = loop.call(() -> UdpUnderlay.open(loop, cfg, (s, f, b, o, l) -> {}), T);
      assertThat(u.primaryPort()).isBetween(30000, 40000);
      assertThat(u.secondaryPort()).isBetween(20000, 65535).isNotEqualTo(u.primaryPort());
      assertThat(u.sockets()).hasSize(2);
      assertThat(u.sockets().get(1).secondary()).isTrue();
    }
  }

  @Test
  void sendWithoutASocketOfTheFamilyReportsFailure() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    try (EventLoop loop = new EventLoop("e").start()) {
      UdpUnderlay u = loop.call(() -> UdpUnderlay.open(loop, UnderlayConfig.bind(lo, 0), (s, f, b, o, l) -> {}), T);
      InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 9);
      assertThat(loop.call(() -> u.send(-1, v6, new byte[1], 0, 1), T)).isFalse();
      assertThat(u.sendErrors()).isEqualTo(1);
    }
  }

  @Test
  void wildcardBindCarriesIpv4AndIpv6OnOnePort() throws Exception {
    BlockingQueue<Got> gotWild = new LinkedBlockingQueue<>();
    BlockingQueue<Got> got4 = new LinkedBlockingQueue<>();
    BlockingQueue<Got> got6 = new LinkedBlockingQueue<>();
    InetAddress v4 = InetAddress.getByName("127.0.0.1");
    InetAddress v6 = InetAddress.getByName("::1");
    try (EventLoop loop = new EventLoop("wild").start()) {
      UdpUnderlay wild = loop.call(() -> UdpUnderlay.open(loop, UnderlayConfig.randomPort(), recorder(gotWild)), T);
      UdpUnderlay four = loop.call(() -> UdpUnderlay.open(loop, UnderlayConfig.bind(v4, 0), recorder(got4)), T);
      UdpUnderlay six = loop.call(() -> UdpUnderlay.open(loop, UnderlayConfig.bind(v6, 0), recorder(got6)), T);
      byte[] m = "x".getBytes(StandardCharsets.UTF_8);
      int port = wild.primaryPort();
      loop.call(() -> four.send(-1, new InetSocketAddress(v4, port), m, 0, 1), T);
      loop.call(() -> six.send(-1, new InetSocketAddress(v6, port), m, 0, 1), T);
      Got a = gotWild.poll(5, TimeUnit.SECONDS);
      Got b = gotWild.poll(5, TimeUnit.SECONDS);
      assertThat(List.of(a.from().getAddress(), b.from().getAddress())).containsExactlyInAnyOrder(v4, v6);
      // and it answers both families from that one port
      assertThat(loop.call(() -> wild.send(-1, new InetSocketAddress(v4, four.primaryPort()), m, 0, 1), T)).isTrue();
      assertThat(loop.call(() -> wild.send(-1, new InetSocketAddress(v6, six.primaryPort()), m, 0, 1), T)).isTrue();
      assertThat(got4.poll(5, TimeUnit.SECONDS).from().getPort()).isEqualTo(port);
      assertThat(got6.poll(5, TimeUnit.SECONDS).from().getPort()).isEqualTo(port);
    }
  }

  private static final Duration T = Duration.ofSeconds(5);

  private static UdpUnderlay.Receiver recorder(BlockingQueue<Got> q) {
    return (socket, from, buf, off, len) -> q.add(new Got(socket, from, new String(buf, off, len,
        StandardCharsets.UTF_8)));
  }
}
