package dev.ztjvm.spring.boot.event;


import dev.ztjvm.spring.boot.ManagedZeroTierNode;

/** The node reached at least one root. */
public final class NodeOnlineEvent extends ZeroTierEvent {

  private static final long serialVersionUID = 1L;

  /** @param node the node that reached a root */
  public NodeOnlineEvent(ManagedZeroTierNode node) {
    super(node);
  }

  @Override
  public String getType() {
    return "NODE_ONLINE";
  }

  @Override
  public String getDescription() {
    return "node " + getNodeId() + " is online";
  }
}
