package dev.ztjvm.spring.boot.event;


import dev.ztjvm.spring.boot.ManagedZeroTierNode;

/** The node lost contact with every root. */
public final class NodeOfflineEvent extends ZeroTierEvent {

  private static final long serialVersionUID = 1L;

  /** @param node the node that lost every root */
  public NodeOfflineEvent(ManagedZeroTierNode node) {
    super(node);
  }

  @Override
  public String getType() {
    return "NODE_OFFLINE";
  }

  @Override
  public String getDescription() {
    return "node " + getNodeId() + " is offline";
  }
}
