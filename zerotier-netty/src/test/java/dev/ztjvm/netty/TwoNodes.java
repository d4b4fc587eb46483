package dev.ztjvm.netty;

import dev.ztjvm.netstack.tcp.TcpConfig;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Two real {@link ZeroTierNode}s in this JVM on one private network of an in-process root and controller
 * ({@link LocalZeroTier}): loopback UDP underlay, encrypted VL1, IPv4 from a pool and RFC4193 IPv6. One pair is
 * shared by all tests of a class (start in {@code @BeforeAll}).
 */
final class TwoNodes implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(60);

  final LocalZeroTier zt;
  final long nwid;
  final ZeroTierNode a;
  final ZeroTierNode b;
  final InetAddress a4;
  final InetAddress b4;
  final InetAddress a6;
  final InetAddress b6;
  /** Inside the network's route but assigned to no member: nothing ever answers it. */
  final InetAddress silent4;

  private TwoNodes(LocalZeroTier zt, long nwid, ZeroTierNode a, ZeroTierNode b) throws Exception {
    this.zt = zt;
    this.nwid = nwid;
    this.a = a;
    this.b = b;
    NetworkDetails na = a.awaitNetworkReady(nwid, WAIT);
    NetworkDetails nb = b.awaitNetworkReady(nwid, WAIT);
    this.a4 = na.ipv4().orElseThrow();
    this.b4 = nb.ipv4().orElseThrow();
    this.a6 = awaitIpv6(a, nwid);
    this.b6 = awaitIpv6(b, nwid);
    this.silent4 = InetAddress.getByName("10.147.30.250");
  }

  static TwoNodes start() throws Exception {
    return start(null);
  }

  /** Starts both nodes; {@code tcp} (if given) configures their stacks. */
  static TwoNodes start(@Nullable TcpConfig tcp) throws Exception {
    LocalZeroTier zt = LocalZeroTier.start();
    ZeroTierNode a = null;
    ZeroTierNode b = null;
    try {
      long nwid = zt.createPrivateNetwork("netty", "10.147.30.0/24", "10.147.30.10", "10.147.30.20", true);
      a = builder(zt, tcp).build();
      b = builder(zt, tcp).build();
      a.start();
      b.start();
      a.join(nwid);
      b.join(nwid);
      zt.authorize(nwid, a.nodeId());
      zt.authorize(nwid, b.nodeId());
      return new TwoNodes(zt, nwid, a, b);
    } catch (Exception | Error e) {
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
      zt.close();
      throw e;
    }
  }

  private static ZeroTierNode.Builder builder(LocalZeroTier zt, @Nullable TcpConfig tcp) {
    ZeroTierNode.Builder builder = zt.nodeBuilder();
    return tcp == null ? builder : builder.tcp(tcp);
  }

  private static InetAddress awaitIpv6(ZeroTierNode n, long nwid) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      NetworkDetails d = n.network(nwid);
      if (d != null && d.ipv6().isPresent()) {
        InetAddress v6 = d.ipv6().get();
        if (v6 instanceof Inet6Address) {
          return v6;
        }
      }
      Thread.sleep(20);
    }
    throw new TimeoutException("no IPv6 address on " + n);
  }

  @Override
  public void close() {
    a.close();
    b.close();
    zt.close();
  }
}
