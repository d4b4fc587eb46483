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
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One joined network attached to a {@link HostInterface} (the OS-interface mode) instead of the in-JVM stack:
 * frames from the network go to the host interface, configs are applied there, and the node hears back when the
 * host uses them. Loop only, except where noted.
 */
public final class HostNetworkAttachment extends TapAttachment {

  /** What the node learns from the host side (called on the loop). */
  public interface Listener extends NetworkAttachment.Changes {
    /** The config of {@code revision} is in use on the host; {@code newlyReady}: bit 0 IPv4, bit 1 IPv6. */
    void hostConfigApplied(long nwid, long revision, int newlyReady);

    /** Applying a config failed; the previous state may be partly changed. */
    void hostConfigFailed(long nwid, long revision, Throwable error);
  }

  private final HostInterface host;
  private final Executor loop;
  private long generation;

  private HostNetworkAttachment(long networkId, VirtualTap tap, HostInterface host, Executor loop) {
    super(networkId, tap);
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

  /** The host's name of the interface. */
  public String interfaceName() {
    return host.name();
  }

  /** Hands a config to the host side; {@code listener} hears when it is in use. Loop only. */
  public void configure(NetworkInfo info, boolean broadcast, Listener listener) {
    if (isClosed()) {
      return;
    }
    long gen = ++generation;
    HostNetworkConfig cfg = new HostNetworkConfig(info.networkId(), info.name(), info.mtu(), broadcast,
        info.addresses(), info.routes(), info.revision());
    List<IpPrefix> wanted = cfg.addresses();
    host.configure(cfg).whenComplete((ok, error) -> loop.execute(() -> {
      if (isClosed() || gen != generation) {
        return; // a newer config (or the end) superseded this one
      }
      if (error != null) {
        listener.hostConfigFailed(networkId(), info.revision(), error);
        return;
      }
      adoptAddresses(wanted, p -> {}, p -> {}, listener); // the host applied them itself
      listener.hostConfigApplied(networkId(), info.revision(), newlyReady());
    }));
  }

  /** Stops the frame flow and closes the host interface. Idempotent. Loop only. */
  public void detach() {
    if (stopFrames()) {
      host.close();
    }
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
