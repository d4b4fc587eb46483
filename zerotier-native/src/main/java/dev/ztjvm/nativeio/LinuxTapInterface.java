package dev.ztjvm.nativeio;

import dev.ztjvm.nativeio.internal.HostConfigPlan;
import dev.ztjvm.nativeio.internal.IpTool;
import dev.ztjvm.sockets.spi.HostInterface;
import dev.ztjvm.sockets.spi.HostInterfaceProvider;
import dev.ztjvm.sockets.spi.HostNetworkConfig;
import dev.ztjvm.sockets.spi.NetworkPort;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The OS-interface mode on Linux: each network of a {@link dev.ztjvm.sockets.ZeroTierNode} built with
 * {@code .hostInterface(LinuxTapInterface.create())} becomes a real TAP interface of the host, carrying the
 * node's MAC address, the network's MTU, and the managed addresses and routes the controller assigns, so that
 * the host's own programs use the network, as with ZeroTier One, from a Java process.
 *
 * <p>Per network: a {@link TapDevice} named {@code zt} plus 8 characters derived from the network ID and the
 * node's MAC (or a {@linkplain Builder#interfaceName fixed name}), optionally moved into a network namespace
 * ({@link Builder#namespace}); addresses and routes are applied with iproute2's {@code ip} on a configuration
 * thread of the interface, removed when a config drops them, and gone with the interface when the network is left
 * or the node stops. A reader thread takes frames from the kernel and hands them to the node's loop; frames from
 * the network are written to the kernel on the loop (a non-blocking write). The interface's multicast
 * memberships ({@code ip maddr}) are announced on the network, rescanned every
 * {@linkplain Builder#multicastScanInterval few seconds}.
 *
 * <p>Needs Linux (x86-64, aarch64, riscv64), {@code /dev/net/tun}, root or {@code CAP_NET_ADMIN}, and iproute2;
 * joining a network fails with an {@link IOException} saying which is missing ({@link TapUnavailableException} for
 * the TAP itself).
 */
public final class LinuxTapInterface implements HostInterfaceProvider {

  private static final Logger LOG = Logger.getLogger(LinuxTapInterface.class.getName());

  private final @Nullable String namespace;
  private final @Nullable String fixedName;
  private final boolean allowDefaultRoute;
  private final Duration multicastScan;

  private LinuxTapInterface(Builder b) {
    this.namespace = b.namespace;
    this.fixedName = b.interfaceName;
    this.allowDefaultRoute = b.allowDefaultRoute;
    this.multicastScan = b.multicastScan;
  }

  /** The provider with defaults: derived names, the JVM's own namespace, no default routes. */
  public static LinuxTapInterface create() {
    return builder().build();
  }

  /** Options of the provider. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default interface name for a network and this node's MAC on it: {@code zt} and 8 base-32 digits of a hash
   * of both, so it is stable across restarts and two nodes of one host do not collide.
   */
  public static String defaultName(long networkId, long mac) {
    long h = networkId * 0x9E3779B97F4A7C15L ^ mac;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    String digits = Long.toString(h & 0xFF_FFFF_FFFFL, 32);
    return "zt" + "0".repeat(8 - digits.length()) + digits;
  }

  @Override
  public HostInterface attach(NetworkPort port) throws IOException {
    IpTool ip = IpTool.locate(namespace);
    String name = fixedName != null ? fixedName : defaultName(port.networkId(), port.mac());
    TapDevice tap = TapDevice.open(name);
    try {
      tap.setHardwareAddress(macBytes(port.mac()));
      tap.setMtu(port.mtu());
      if (namespace == null) {
        tap.setUp(true);
      }
    } catch (IOException | RuntimeException e) {
      tap.close();
      throw e;
    }
    Attached a = new Attached(port, tap, ip);
    a.start();
    return a;
  }

  @Override
  public String toString() {
    return "LinuxTapInterface[" + (namespace == null ? "" : "namespace " + namespace + ", ")
        + (fixedName == null ? "derived names" : fixedName) + "]";
  }

  static byte[] macBytes(long mac) {
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) (mac >>> (40 - 8 * i));
    }
    return b;
  }

  /** Ethernet multicast groups in the output of {@code ip maddr show dev X} (its {@code link} lines). */
  static Set<Long> linkGroups(String ipMaddrOutput) {
    Set<Long> out = new HashSet<>();
    for (String line : ipMaddrOutput.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && f[0].equals("link")) {
        String[] octets = f[1].split(":");
        if (octets.length != 6) {
          continue;
        }
        long mac = 0;
        try {
          for (String o : octets) {
            mac = (mac << 8) | Integer.parseInt(o, 16);
          }
        } catch (NumberFormatException e) {
          continue;
        }
        if ((mac & 0x0100_0000_0000L) != 0 && mac != 0xFFFF_FFFF_FFFFL) {
          out.add(mac);
        }
      }
    }
    return out;
  }

  /** One network's TAP: reader thread, configuration thread, and the loop-side write path. */
  private final class Attached implements HostInterface {
    private final NetworkPort port;
    private final TapDevice tap;
    private final IpTool ip;
    private final String name;
    private final ScheduledExecutorService control;
    private final Thread reader;
    private volatile boolean closed;
    // configuration thread only
    private HostConfigPlan.State applied;
    private @Nullable IOException setupFailure;
    private final Set<Long> groups = new HashSet<>();
    // loop only
    private long writeFailures;

    Attached(NetworkPort port, TapDevice tap, IpTool ip) {
      this.port = port;
      this.tap = tap;
      this.ip = ip;
      this.name = tap.name();
      this.applied = HostConfigPlan.State.empty(port.mtu());
      this.control = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "zt-tap-config-" + name);
        t.setDaemon(true);
        return t;
      });
      this.reader = new Thread(this::readLoop, "zt-tap-" + name);
      reader.setDaemon(true);
    }

    void start() {
      reader.start();
      control.execute(() -> {
        try {
          if (ip.namespace() != null) {
            ip.runHere(List.of("link", "set", "dev", name, "netns", ip.namespace()));
            ip.run(List.of("link", "set", "dev", name, "up"));
          }
          scanMulticast();
        } catch (IOException e) {
          setupFailure = e;
          if (!closed) {
            LOG.log(Level.WARNING, "TAP " + name + ": setup failed: " + e.getMessage(), e);
          }
        }
      });
      long every = multicastScan.toMillis();
      control.scheduleWithFixedDelay(this::scanMulticastQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void receiveFrame(byte[] frame, int off, int len) {
      if (closed) {
        return;
      }
      try {
        if (!tap.write(frame, off, len)) {
          writeFailures++; // link down or queue full: loss on the wire; TapStatistics counts it too
        }
      } catch (IOException | IllegalArgumentException e) {
        writeFailures++;
      }
    }

    @Override
    public CompletionStage<Void> configure(HostNetworkConfig config) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      HostConfigPlan.State wanted = HostConfigPlan.desired(config, allowDefaultRoute);
      try {
        control.execute(() -> {
          try {
            apply(wanted);
            done.complete(null);
          } catch (IOException | RuntimeException e) {
            done.completeExceptionally(e);
          }
        });
      } catch (RejectedExecutionException e) {
        done.completeExceptionally(new IOException("TAP " + name + " is closed"));
      }
      return done;
    }

    /** Configuration thread: runs the steps, keeping {@link #applied} equal to what the kernel holds. */
    private void apply(HostConfigPlan.State wanted) throws IOException {
      if (setupFailure != null) {
        throw new IOException("TAP " + name + " was not set up: " + setupFailure.getMessage(), setupFailure);
      }
      if (closed) {
        throw new IOException("TAP " + name + " is closed");
      }
      Set<dev.ztjvm.vl2.IpPrefix> addresses = new LinkedHashSet<>(applied.addresses());
      Set<HostConfigPlan.RouteSpec> routes = new LinkedHashSet<>(applied.routes());
      int mtu = applied.mtu();
      try {
        for (HostConfigPlan.Step s : HostConfigPlan.transition(name, applied, wanted)) {
          try {
            ip.run(s.ipArgs());
          } catch (IOException e) {
            if (!s.removal()) {
              throw e;
            }
            // already gone: the kernel drops routes through an address it removes
          }
          if (s.address() != null) {
            if (s.removal()) {
              addresses.remove(s.address());
            } else {
              addresses.add(s.address());
            }
          } else if (s.route() != null) {
            if (s.removal()) {
              routes.remove(s.route());
            } else {
              routes.add(s.route());
            }
          } else {
            mtu = wanted.mtu();
          }
        }
      } finally {
        applied = new HostConfigPlan.State(mtu, addresses, routes);
      }
      scanMulticast();
    }

    private void scanMulticastQuietly() {
      try {
        scanMulticast();
      } catch (IOException e) {
        if (!closed) {
          LOG.log(Level.FINE, "TAP " + name + ": multicast scan failed", e);
        }
      }
    }

    /** Configuration thread: announces the groups the kernel joined on the interface, leaves the ones it left. */
    private void scanMulticast() throws IOException {
      if (closed || setupFailure != null) {
        return;
      }
      Set<Long> now = linkGroups(ip.run(List.of("maddr", "show", "dev", name)));
      for (Long g : now) {
        if (groups.add(g)) {
          port.subscribe(g, 0);
        }
      }
      for (Long g : List.copyOf(groups)) {
        if (!now.contains(g)) {
          groups.remove(g);
          port.unsubscribe(g, 0);
        }
      }
    }

    private void readLoop() {
      byte[] buf = new byte[TapDevice.MAX_FRAME];
      try {
        while (true) {
          int n = tap.read(buf, 0, buf.length, -1);
          if (n < 0) {
            return;
          }
          if (n > 0) {
            port.sendFrame(buf, 0, n); // copied and handed to the node's loop
          }
        }
      } catch (IOException e) {
        if (!closed) {
          LOG.log(Level.WARNING, "TAP " + name + ": reading stopped: " + e.getMessage(), e);
        }
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      control.shutdownNow();
      tap.close(); // the kernel removes the interface, and with it its addresses and routes
      // The descriptor (and so the interface) goes when the reader, woken by close(), lets go of it: wait for
      // that briefly, so a re-join or restart right after finds the name free again.
      if (Thread.currentThread() != reader) {
        try {
          reader.join(2000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public String toString() {
      return "TAP " + name + (ip.namespace() == null ? "" : " in namespace " + ip.namespace())
          + (closed ? " (closed)" : "") + ", " + tap.statistics() + ", loop-side write failures " + writeFailures;
    }
  }

  /** Options of {@link LinuxTapInterface}. */
  public static final class Builder {
    private @Nullable String namespace;
    private @Nullable String interfaceName;
    private boolean allowDefaultRoute;
    private Duration multicastScan = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * Puts the interfaces into this network namespace (made beforehand with {@code ip netns add NAME}); addresses
     * and routes are applied there. The JVM keeps its own namespace: only the programs in that namespace see the
     * network. Default: the JVM's own namespace.
     */
    public Builder namespace(String name) {
      if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
        throw new IllegalArgumentException("option 'namespace': not a network namespace name: '" + name + "'");
      }
      this.namespace = name;
      return this;
    }

    /**
     * A fixed interface name (at most 15 characters) instead of the derived {@code ztXXXXXXXX}; only for a node
     * that attaches a single network this way, since each network needs its own interface.
     */
    public Builder interfaceName(String name) {
      if (name.isEmpty() || name.length() > 15 || !name.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("option 'interfaceName': '" + name
            + "' is not a Linux interface name (1..15 of A-Z a-z 0-9 _ . -)");
      }
      this.interfaceName = name;
      return this;
    }

    /**
     * Installs default routes ({@code 0.0.0.0/0}, {@code ::/0}) that a controller pushes, sending all the host's
     * traffic through the network (ZeroTier One's {@code allowDefault}); default off.
     */
    public Builder allowDefaultRoute(boolean allow) {
      this.allowDefaultRoute = allow;
      return this;
    }

    /** How often the interface's multicast memberships are rescanned and announced (default 5 s). */
    public Builder multicastScanInterval(Duration every) {
      if (every.toMillis() < 100) {
        throw new IllegalArgumentException("option 'multicastScanInterval': " + every + " is too short (min 100 ms)");
      }
      this.multicastScan = Objects.requireNonNull(every);
      return this;
    }

    public LinuxTapInterface build() {
      return new LinuxTapInterface(this);
    }
  }
}
