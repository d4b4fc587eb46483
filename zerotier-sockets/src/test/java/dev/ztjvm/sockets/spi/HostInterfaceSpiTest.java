package dev.ztjvm.sockets.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.LocalZeroTierExtension;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierAddresses;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node's side of the OS-interface mode with a scripted {@link HostInterfaceProvider} (no TAP, no root): which
 * networks go to the provider, what it is handed, readiness only once the host uses a config, frames both ways
 * (an ARP exchange with an in-JVM node), close on leave, and a failed attach undoing the join. The Linux provider
 * itself is tested in {@code zerotier-native} ({@code LinuxTapInterfaceTest}).
 */
@ExtendWith(LocalZeroTierExtension.class)
class HostInterfaceSpiTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static LocalZeroTier zt; // started for the class by LocalZeroTierExtension

  /** A provider whose host side the test drives: it records configs and frames and completes configs on demand. */
  static final class ScriptedHost implements HostInterfaceProvider {
    final List<HostNetworkConfig> configs = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
    final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    final AtomicInteger closes = new AtomicInteger();
    volatile @Nullable NetworkPort port;
    volatile @Nullable IOException failure;

    @Override
    public HostInterface attach(NetworkPort p) throws IOException {
      IOException f = failure;
      if (f != null) {
        throw f;
      }
      port = p;
      return new HostInterface() {
        @Override
        public String name() {
          return "scripted0";
        }

        @Override
        public void receiveFrame(byte[] frame, int off, int len) {
          frames.add(Arrays.copyOfRange(frame, off, off + len));
        }

        @Override
        public CompletionStage<Void> configure(HostNetworkConfig config) {
          configs.add(config);
          CompletableFuture<Void> f = new CompletableFuture<>();
          pending.add(f);
          return f;
        }

        @Override
        public void close() {
          closes.incrementAndGet();
        }
      };
    }
  }

  @Test
  void aNetworkGoesToTheProviderAndIsReadyOnlyOnceTheHostUsesItsConfig() throws Exception {
    long nwid = zt.createPrivateNetwork("host-mode", "10.147.50.0/24", "10.147.50.10", "10.147.50.20", true);
    zt.database().updateNetwork(nwid,
        e -> e.addRoute(IpPrefix.parse("10.88.0.0/16"), IpPrefix.parseIp("10.147.50.1")));
    long other = zt.createPublicNetwork("stack-mode", "10.147.51.0/24", "10.147.51.10", "10.147.51.20", false);
    ScriptedHost host = new ScriptedHost();
    List<ZeroTierEvent> events = new CopyOnWriteArrayList<>();
    try (ZeroTierNode a = zt.nodeBuilder().hostInterface(nwid, host).listener(events::add).build();
        ZeroTierNode b = zt.nodeBuilder().build()) {
      a.start();
      b.start();
      zt.authorize(nwid, a.nodeId());
      zt.authorize(nwid, b.nodeId());
      a.join(nwid);
      await(() -> !host.configs.isEmpty(), "a config handed to the host");

      NetworkPort port = host.port;
      assertThat(port.networkId()).isEqualTo(nwid);
      assertThat(port.nodeId()).isEqualTo(a.nodeId());
      assertThat(port.mac()).isEqualTo(a.network(nwid).mac());
      HostNetworkConfig cfg = host.configs.get(0);
      assertThat(cfg.networkId()).isEqualTo(nwid);
      assertThat(cfg.name()).isEqualTo("host-mode");
      assertThat(cfg.mtu()).isEqualTo(port.mtu());
      assertThat(cfg.addresses()).contains(new IpPrefix(ZeroTierAddresses.rfc4193(nwid, a.nodeId()), 88));
      IpPrefix v4 = cfg.addresses().stream().filter(IpPrefix::isIpv4).findFirst().orElseThrow();
      assertThat(v4.bits()).isEqualTo(24);
      assertThat(cfg.routes()).contains(new Route(IpPrefix.parse("10.88.0.0/16"),
          new IpPrefix(IpPrefix.parseIp("10.147.50.1"), 0), 0, 0));

      // Not ready while the host has not confirmed the config.
      assertThat(a.isTransportReady(nwid)).isFalse();
      assertThatThrownBy(() -> a.awaitNetworkReady(nwid, Duration.ofMillis(300)))
          .isInstanceOf(TimeoutException.class);
      assertThat(events).noneMatch(e -> e instanceof ZeroTierEvent.AddressAdded);
      host.pending.forEach(f -> f.complete(null));
      NetworkDetails ready = a.awaitNetworkReady(nwid, WAIT);
      assertThat(ready.transportReady()).isTrue();
      assertThat(a.hostInterfaceName(nwid)).isEqualTo("scripted0");
      await(() -> events.stream().anyMatch(e -> e instanceof ZeroTierEvent.NetworkReadyIpv4), "ready event");
      assertThat(events).contains(new ZeroTierEvent.AddressAdded(nwid, v4.address(), 24));
      // Nothing of it in the in-JVM stack.
      assertThat(a.netstack().interfaces()).isEmpty();

      // Frames both ways: the host asks for B's MAC, B's stack answers to the host.
      InetAddress bV4 = b.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
      host.frames.clear();
      // Sent again every half second, as a host retries ARP: B's subscription to its ARP group may still be on
      // its way through the network.
      byte[] request = arpRequest(port.mac(), (Inet4Address) v4.address(), (Inet4Address) bV4);
      byte[] reply = awaitFrame(host.frames, f -> isArpReplyFrom(f, bV4), () -> port.sendFrame(request, 0, 42));
      assertThat(Arrays.copyOfRange(reply, 0, 6)).isEqualTo(mac(port.mac()));
      assertThat(Arrays.copyOfRange(reply, 6, 12)).isEqualTo(mac(b.network(nwid).mac()));

      // Another network of the same node stays on the in-JVM stack.
      a.join(other);
      assertThat(a.awaitNetworkReady(other, WAIT).transportReady()).isTrue();
      assertThat(a.hostInterfaceName(other)).isNull();
      assertThat(host.configs).allMatch(c -> c.networkId() == nwid);

      // Leaving closes the host interface.
      assertThat(a.leave(nwid)).isTrue();
      await(() -> host.closes.get() == 1, "close on leave");
      assertThat(a.hostInterfaceName(nwid)).isNull();
      assertThat(a.isTransportReady(nwid)).isFalse();
    }
  }

  @Test
  void aFailedAttachFailsTheJoinUndoesItAndAJoinLaterRetries() throws Exception {
    long nwid = zt.createPublicNetwork("attach-fails", "10.147.52.0/24", "10.147.52.10", "10.147.52.20", false);
    ScriptedHost host = new ScriptedHost();
    host.failure = new IOException("creating TAP interface zt0 needs root or CAP_NET_ADMIN");
    try (ZeroTierNode a = zt.nodeBuilder().hostInterface(host).build()) {
      a.start();
      assertThatThrownBy(() -> a.join(nwid))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("cannot attach the host interface")
          .hasMessageContaining("needs root or CAP_NET_ADMIN");
      assertThat(a.network(nwid)).isNull();

      host.failure = null;
      a.join(nwid);
      await(() -> !host.pending.isEmpty(), "a config handed to the host");
      host.pending.forEach(f -> f.complete(null));
      assertThat(a.awaitNetworkReady(nwid, WAIT).transportReady()).isTrue();
      a.stop();
      assertThat(host.closes.get()).as("stop closes the host interface").isEqualTo(1);
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static byte[] arpRequest(long ourMac, Inet4Address ours, Inet4Address target) {
    byte[] f = new byte[42];
    Arrays.fill(f, 0, 6, (byte) 0xff);
    System.arraycopy(mac(ourMac), 0, f, 6, 6);
    f[12] = 0x08;
    f[13] = 0x06;
    f[15] = 1; // Ethernet
    f[16] = 0x08; // IPv4
    f[18] = 6;
    f[19] = 4;
    f[21] = 1; // request
    System.arraycopy(mac(ourMac), 0, f, 22, 6);
    System.arraycopy(ours.getAddress(), 0, f, 28, 4);
    System.arraycopy(target.getAddress(), 0, f, 38, 4);
    return f;
  }

  private static boolean isArpReplyFrom(byte[] f, InetAddress sender) {
    return f.length >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 2
        && Arrays.equals(Arrays.copyOfRange(f, 28, 32), sender.getAddress());
  }

  private static byte[] mac(long mac) {
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) (mac >>> (40 - 8 * i));
    }
    return b;
  }

  private static byte[] awaitFrame(BlockingQueue<byte[]> frames, java.util.function.Predicate<byte[]> wanted,
      Runnable ask) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long nextAsk = System.nanoTime();
    while (System.nanoTime() < deadline) {
      if (System.nanoTime() - nextAsk >= 0) {
        ask.run();
        nextAsk = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
      }
      byte[] f = frames.poll(50, TimeUnit.MILLISECONDS);
      if (f != null && wanted.test(f)) {
        return f;
      }
    }
    throw new AssertionError("no matching frame within " + WAIT);
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + WAIT);
      }
      Thread.sleep(10);
    }
  }
}
