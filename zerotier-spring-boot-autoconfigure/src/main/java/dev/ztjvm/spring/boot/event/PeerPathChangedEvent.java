package dev.ztjvm.spring.boot.event;

import dev.ztjvm.node.PeerInfo;
import dev.ztjvm.spring.boot.ManagedZeroTierNode;

/** A peer switched between a direct path and relaying, or was first seen. */
public final class PeerPathChangedEvent extends ZeroTierEvent {

  private static final long serialVersionUID = 1L;

  private final PeerInfo peer;

  /**
   * @param node the node
   * @param peer the peer after the change
   */
  public PeerPathChangedEvent(ManagedZeroTierNode node, PeerInfo peer) {
    super(node);
    this.peer = peer;
  }

  /** The peer after the change. */
  public PeerInfo getPeer() {
    return peer;
  }

  /** Whether the peer is now reached directly (else through a relay). */
  public boolean isDirect() {
    return peer.direct();
  }

  @Override
  public String getType() {
    return "PEER_PATH";
  }

  @Override
  public String getDescription() {
    return "peer " + ManagedZeroTierNode.formatAddress(peer.address()) + (peer.direct() ? " direct via " + peer.paths().get(0).remote() : " relayed");
  }
}
