package dev.ztjvm.sockets.spi;

import java.util.concurrent.CompletionStage;

/**
 * The host side of one joined network, created by {@link HostInterfaceProvider#attach}. All methods are called on
 * the node's network loop thread and must not block it (a slow step, such as running a configuration tool, belongs
 * on the attachment's own thread).
 */
public interface HostInterface {

  /** The name the host knows the interface by (e.g. {@code zt3f1c9a02}), for users and diagnostics. */
  String name();

  /**
   * A frame that arrived from the network for this node (complete Ethernet II frame, no FCS). The array is reused
   * after the call returns: copy or write it out before returning. Never throws; frames that cannot be delivered
   * are dropped (and counted by the implementation).
   */
  void receiveFrame(byte[] frame, int off, int len);

  /**
   * Applies a network config (the first one, and every one that changes something): MTU, managed addresses and
   * routes. Addresses and routes of the previous config that are no longer in it are removed.
   *
   * @return completes once the host uses the config (the node then reports the network ready and posts its
   *     address events), or exceptionally with what failed; when configs follow each other quickly, only the latest
   *     one needs to complete
   */
  CompletionStage<Void> configure(HostNetworkConfig config);

  /**
   * Removes the interface (with its addresses and routes) and stops its threads, when the network is left or the
   * node stops. Idempotent. Removal may finish shortly after the call returns.
   */
  void close();
}
