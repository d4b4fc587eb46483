package dev.ztjvm.sockets.internal.node;

import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.network.VirtualTap;
import dev.ztjvm.sockets.spi.HostInterface;
import dev.ztjvm.sockets.spi.HostInterfaceProvider;
import dev.ztjvm.sockets.spi.HostNetworkConfig;
import dev.ztjvm.sockets.spi.NetworkPort;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.MulticastGroup;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * One joined network attached to a {@link HostInterface} (the OS-interface mode) instead of the in-JVM stack:
 * frames from the network go to the host interface, configs are applied there, and the node hears back when the
 * host uses them. Loop only, except where noted.
 */
public final class HostNetworkAttachment {

  /** What the node learns from the host side (called on the loop). */
  public interface Listener extends NetworkAttachment.Changes {
    /** The config of {@code revision} is in use on the host; {@code newlyReady}: bit 0 IPv4, bit 1 IPv6. */
    void hostConfigApplied(long nwid, long revision, int newlyReady);

    /** Applying a config failed; the previous state may be partly changed. */
    void hostConfigFailed(long nwid, long revision, Throwable error);
  }

  private final long networkId;
  private final VirtualTap tap;
  private final HostInterface host;
  private final Executor loop;
  private final Set<IpPrefix> applied = new HashSet<>();
  private long generation;
  private boolean readyV4;
  private boolean readyV6;
  private boolean closed;

  private HostNetworkAttachment(long networkId, VirtualTap tap, HostInterface host, Executor loop) {
    this.networkId = networkId;
    this.tap = tap;
    this.host = host;
    this.loop = loop;
  }

  /** Asks the provider for the host side of {@code tap}'s network and routes the network's frames to it. Loop only. */
  public static HostNetworkAttachment attach(long networkId, long nodeId, VirtualTap tap,
      HostInterfaceProvider provider, Executor loop) throws IOException {
    HostInterface host = provider.attach(new Port(networkId, nodeId, tap));
    if (host == null) {
      throw new IOException("host interface provider " + provider + " returned no interface");
    }
    tap.setReceiver(host::receiveFrame);
    return new HostNetworkAttachment(networkId, tap, host, loop);
  }

  public long networkId() {
    return networkId;
  }

  public VirtualTap tap() {
    return tap;
  }

  /** The host's name of the interface. */
  public String interfaceName() {
    return host.name();
  }

  /** Whether the host holds at least one managed address of the network. */
  public boolean transportReady() {
    return !applied.isEmpty();
  }

  /** Hands a config to the host side; {@code listener} hears when it is in use. Loop only. */
  public void configure(NetworkInfo info, boolean broadcast, Listener listener) {
    if (closed) {
      return;
    }
    long gen = ++generation;
    HostNetworkConfig cfg = new HostNetworkConfig(info.networkId(), info.name(), info.mtu(), broadcast,
        info.addresses(), info.routes(), info.revision());
    List<IpPrefix> wanted = cfg.addresses();
    host.configure(cfg).whenComplete((ok, error) -> loop.execute(() -> {
      if (closed || gen != generation) {
        return; // a newer config (or the end) superseded this one
      }
      if (error != null) {
        listener.hostConfigFailed(networkId, info.revision(), error);
        return;
      }
      listener.hostConfigApplied(networkId, info.revision(), adopt(wanted, listener));
    }));
  }

  private int adopt(List<IpPrefix> wanted, Listener listener) {
    Set<IpPrefix> now = new HashSet<>(wanted);
    for (IpPrefix p : List.copyOf(applied)) {
      if (!now.contains(p)) {
        applied.remove(p);
        listener.addressRemoved(networkId, p.address(), p.bits());
      }
    }
    for (IpPrefix p : wanted) {
      if (applied.add(p)) {
        listener.addressAdded(networkId, p.address(), p.bits());
      }
    }
    boolean v4 = applied.stream().anyMatch(IpPrefix::isIpv4);
    boolean v6 = applied.stream().anyMatch(p -> !p.isIpv4());
    int ready = (v4 && !readyV4 ? 1 : 0) | (v6 && !readyV6 ? 2 : 0);
    readyV4 = v4;
    readyV6 = v6;
    return ready;
  }

  /** Stops the frame flow and closes the host interface. Idempotent. Loop only. */
  public void detach() {
    if (closed) {
      return;
    }
    closed = true;
    tap.setReceiver(null);
    host.close();
  }

  /** The network's port as the provider sees it: a thin view of the {@link VirtualTap}. */
  private record Port(long networkId, long nodeId, VirtualTap tap) implements NetworkPort {
    @Override
    public long mac() {
      return tap.mac();
    }

    @Override
    public int mtu() {
      return tap.mtu();
    }

    @Override
    public void sendFrame(byte[] frame, int off, int len) {
      tap.sendFrame(frame, off, len);
    }

    @Override
    public void subscribe(long multicastMac, int adi) {
      tap.subscribe(new MulticastGroup(multicastMac, adi));
    }

    @Override
    public void unsubscribe(long multicastMac, int adi) {
      tap.unsubscribe(new MulticastGroup(multicastMac, adi));
    }
  }
}
